// The knowledge search: the knowledge editor writes an intervention sheet and a barrier model
// about closing a cannabis farm; the LIEC coordinator publishes both; a municipal partner types
// "henepkwekerij 13b" (a typo) in the search box that every page carries and finds both, the
// correction named and the matched words marked, and the catalogue's sheet on art. 13b beside
// them; the bank association's member (no role) finds neither — only public items and those of
// its table. Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

async function write(editor, kind, title, summary) {
  await editor.page.goto(`${BASE}/kennis/nieuw`);
  await editor.page.getByLabel("Soort", { exact: true }).selectOption(kind);
  await editor.page.getByLabel("Titel").fill(title);
  await editor.page.getByLabel("Samenvatting").fill(summary);
  await editor.page.getByLabel("Georganiseerde hennepteelt").check();
  await editor.page.getByRole("button", { name: "Opslaan" }).click();
  await editor.page.waitForURL(/\/kennis\/\d+\?melding=opgeslagen/);
  return editor.page.url().replace(/\?.*$/, "");
}

async function offerAndPublish(editor, liec, url) {
  await editor.page.goto(url);
  await editor.page.getByRole("button", { name: "Ter beoordeling aanbieden" }).click();
  await editor.page.waitForURL(/melding=stap/);
  await liec.page.goto(url);
  await liec.page.getByRole("button", { name: "Publiceren" }).click();
  await liec.page.waitForURL(/melding=stap/);
}

test("a typo finds the intervention sheet and the barrier model; a private member finds neither", async () => {
  const browser = await launch();
  try {
    const editor = await signIn(browser, "demo.kennis");
    const liec = await signIn(browser, "demo.liec");
    const sheetTitle = "Interventieblad woningsluiting na een hennepkwekerij";
    const sheet = await write(editor, "interventieblad", sheetTitle, "Wanneer de burgemeester een woning sluit op grond van art. 13b Opiumwet, en wat daarvoor nodig is.");
    const modelTitle = "Barrièremodel hennepkwekerijen in woonwijken";
    const model = await write(editor, "barrieremodel", modelTitle, "Hoe een kwekerij in een huurwoning tot stand komt, en waar de overheid haar kan tegenhouden.");
    await editor.page.goto(`${model}/barrieremodel`);
    await editor.page.getByRole("link", { name: "Stap toevoegen" }).click();
    await editor.page.getByLabel("Naam van de stap").fill("Huisvesting van de kwekerij");
    await editor.page.getByRole("button", { name: "Opslaan" }).click();
    await editor.page.waitForURL(/melding=opgeslagen/);
    await editor.page.getByRole("link", { name: /Onderdeel toevoegen/ }).click();
    await editor.page.waitForLoadState();
    await editor.page.getByLabel("Omschrijving").fill("Sluiting van de woning na het ruimen");
    await editor.page.getByLabel("Interventie die de barrière opwerpt").selectOption("13b-opiumwet");
    await editor.page.getByLabel("Verantwoordelijke partner").selectOption("gemeente");
    await editor.page.getByLabel("Wettelijke grondslag (alleen bij een barrière)").fill("Opiumwet, art. 13b");
    await editor.page.getByRole("button", { name: "Opslaan" }).click();
    await editor.page.waitForURL(/melding=opgeslagen/);
    await offerAndPublish(editor, liec, sheet);
    await offerAndPublish(editor, liec, model);

    // The municipal partner searches from the start page's header, with a typo.
    const partner = await signIn(browser, "demo.oost.gemeente");
    await partner.page.getByRole("searchbox", { name: "Zoek in de kennis" }).fill("henepkwekerij 13b");
    await partner.page.getByRole("button", { name: "Zoek", exact: true }).click();
    await partner.page.waitForURL(/\/kennis\?zoek=/);
    const results = partner.page.locator(".kp-knowledge-list > li h3");
    // On the first page of results (the demo holds many items about 13b and hennep).
    const top = (await results.allTextContents()).map((t) => t.trim());
    assert.ok(top.includes(sheetTitle), top.join(" | "));
    assert.ok(top.includes(modelTitle), top.join(" | "));
    const main = await partner.page.locator("main").textContent();
    assert.match(main, /Ook gezocht op ‘hennepkwekerij’/);
    assert.ok((await partner.page.locator(".kp-snippet mark").count()) > 0);
    // Beside the results, the catalogue's sheet of the intervention the words name.
    assert.equal(await partner.page.locator(".kp-sheet-hits a[href='/interventies/13b-opiumwet']").count(), 1);
    await expectAccessible(partner.page, "zoekresultaten");
    // The search box on the list keeps the words; a filter narrows the results.
    assert.equal(await partner.page.getByLabel("Zoek in de kennis", { exact: true }).first().inputValue(), "");
    assert.equal(await partner.page.locator("#zoek").inputValue(), "henepkwekerij 13b");
    await partner.page.getByRole("navigation", { name: "Filters" }).getByRole("link", { name: /^Interventieblad/ }).click();
    await partner.page.waitForURL(/soort=interventieblad/);
    const narrowed = (await results.allTextContents()).map((t) => t.trim());
    assert.ok(narrowed.includes(sheetTitle) && !narrowed.includes(modelTitle), narrowed.join(" | "));
    // Nothing found: a way on.
    await partner.page.goto(`${BASE}/kennis?zoek=zzzxyq`);
    assert.match(await partner.page.locator("main").textContent(), /Probeer een ander of algemener woord/);
    await expectAccessible(partner.page, "niets gevonden");

    // The bank association's member finds neither network item.
    const bank = await signIn(browser, "demo.bank");
    await bank.page.goto(`${BASE}/kennis?zoek=${encodeURIComponent("henepkwekerij 13b")}`);
    const bankTitles = (await bank.page.locator(".kp-knowledge-list > li h3").allTextContents()).map((t) => t.trim());
    assert.ok(!bankTitles.includes(sheetTitle) && !bankTitles.includes(modelTitle), bankTitles.join(" | "));
    await expectAccessible(bank.page, "zoekresultaten (privaat lid)");

    // The editors keep the synonyms.
    await editor.page.goto(`${BASE}/kennis`);
    await editor.page.getByRole("link", { name: "Synoniemen voor het zoeken" }).click();
    await editor.page.waitForLoadState();
    assert.match(await editor.page.locator("main").textContent(), /hennep, cannabis, wiet/);
    await expectAccessible(editor.page, "synoniemen");
    await editor.page.getByRole("button", { name: "Groep toevoegen" }).click();
    await editor.page.waitForLoadState();
    assert.match(await editor.page.locator("main").textContent(), /Geef ten minste twee woorden/);
    await expectAccessible(editor.page, "synoniemen met fout");
  } finally {
    await browser.close();
  }
});
