// Barrier models: the knowledge editor writes a barrier model, adds a step and a barrier (told
// in Dutch what is missing first), offers it for review; the LIEC coordinator publishes it; a
// municipal partner reads the matrix, the table and the print view of it and of the demo's
// cannabis model, where the barriers show how many interventions in cases raise them; the
// analyst proposes an intervention naming a barrier. Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

test("an editor builds a barrier model, the network reads it, an intervention names a barrier", async () => {
  const browser = await launch();
  try {
    const editor = await signIn(browser, "demo.kennis");
    await editor.page.goto(`${BASE}/kennis/nieuw`);
    await editor.page.getByLabel("Soort", { exact: true }).selectOption("barrieremodel");
    await editor.page.getByLabel("Titel").fill("Barrièremodel ondermijning in vakantieparken");
    await editor.page.getByLabel("Samenvatting").fill("Hoe criminelen vakantieparken gebruiken, in stappen.");
    await editor.page.getByRole("button", { name: "Opslaan" }).click();
    await editor.page.waitForURL(/\/kennis\/\d+\?melding=opgeslagen/);
    const itemUrl = editor.page.url().replace(/\?.*$/, "");
    await editor.page.getByRole("link", { name: /Het barrièremodel bekijken/ }).click();
    await editor.page.waitForLoadState();
    assert.match(await editor.page.locator("main").textContent(), /nog geen stappen/);
    await expectAccessible(editor.page, "leeg barrièremodel (redactie)");

    // A step, then a barrier; first without what a barrier needs.
    await editor.page.getByRole("link", { name: "Stap toevoegen" }).click();
    await editor.page.getByLabel("Naam van de stap").fill("Huisvesting");
    await editor.page.getByRole("button", { name: "Opslaan" }).click();
    await editor.page.waitForURL(/melding=opgeslagen/);
    await editor.page.getByRole("link", { name: /Onderdeel toevoegen/ }).click();
    await editor.page.waitForLoadState();
    await expectAccessible(editor.page, "onderdeel toevoegen");
    await editor.page.getByRole("button", { name: "Opslaan" }).click();
    await editor.page.waitForLoadState();
    const errors = await editor.page.locator("main").textContent();
    assert.match(errors, /Beschrijf het onderdeel\./);
    assert.match(errors, /Kies het interventietype uit de catalogus/);
    await expectAccessible(editor.page, "onderdeel met fouten");
    await editor.page.getByLabel("Omschrijving").fill("Controle van de bewoning van chalets");
    await editor.page.getByLabel("Interventie die de barrière opwerpt").selectOption("integrale-controle");
    await editor.page.getByLabel("Verantwoordelijke partner").selectOption("gemeente");
    await editor.page.getByLabel("Wettelijke grondslag (alleen bij een barrière)").fill("Gemeentewet, art. 125");
    await editor.page.getByRole("button", { name: "Opslaan" }).click();
    await editor.page.waitForURL(/melding=opgeslagen/);
    assert.match(await editor.page.locator("main").textContent(), /Controle van de bewoning van chalets/);
    await expectAccessible(editor.page, "barrièremodel (redactie)");
    await editor.page.goto(itemUrl);
    await editor.page.getByRole("button", { name: "Ter beoordeling aanbieden" }).click();
    await editor.page.waitForURL(/melding=stap/);

    const liec = await signIn(browser, "demo.liec");
    await liec.page.goto(itemUrl);
    await liec.page.getByRole("button", { name: "Publiceren" }).click();
    await liec.page.waitForURL(/melding=stap/);

    // A municipal partner reads the new model and the demo's cannabis model.
    const partner = await signIn(browser, "demo.oost.gemeente");
    await partner.page.goto(`${itemUrl}/barrieremodel`);
    const model = await partner.page.locator("main").textContent();
    assert.match(model, /Controle van de bewoning van chalets/);
    assert.doesNotMatch(model, /Stap toevoegen/);
    await partner.page.goto(`${BASE}/kennis?soort=barrieremodel`);
    await partner.page.getByRole("link", { name: "Barrièremodel georganiseerde hennepteelt" }).click();
    await partner.page.getByRole("link", { name: /Het barrièremodel bekijken/ }).click();
    await partner.page.waitForLoadState();
    const cannabis = await partner.page.locator("main").textContent();
    assert.match(cannabis, /7 stappen/);
    assert.match(cannabis, /opgeworpen door \d+ interventies/);
    const matrix = partner.page.getByRole("table", { name: /Per stap/ });
    assert.equal(await matrix.getByRole("columnheader").count(), 7);
    assert.equal(await matrix.getByRole("rowheader").count(), 4);
    await expectAccessible(partner.page, "barrièremodel (partner)");
    await partner.page.getByRole("link", { name: "Afdrukversie" }).click();
    await partner.page.waitForLoadState();
    assert.match(await partner.page.locator("main").textContent(), /Druk deze pagina af/);
    await expectAccessible(partner.page, "barrièremodel (afdruk)");

    // The analyst can name a barrier when proposing an intervention.
    const analyst = await signIn(browser, "demo.oost.analist");
    await analyst.page.goto(`${BASE}/casussen?fase=casus`);
    await analyst.page.locator("main table a").first().click();
    await analyst.page.waitForLoadState();
    const caseUrl = analyst.page.url().replace(/[?#].*$/, "");
    await analyst.page.goto(`${caseUrl}/interventies/nieuw`);
    const options = await analyst.page.getByLabel(/Barrière die de interventie opwerpt/).locator("option").allTextContents();
    assert.ok(options.some((o) => o.includes("Controle van de bewoning van chalets")), options.join(" | "));
    await expectAccessible(analyst.page, "interventie voorstellen met barrière");
  } finally {
    await browser.close();
  }
});
