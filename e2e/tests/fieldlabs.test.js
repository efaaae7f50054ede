// The LIEC Field Lab Hub: the LIEC sees every lab with its phase and results and is told in
// Dutch what a new lab lacks, and adds a phase to the hub; the host municipality records a
// decision and a document with its file in the current phase and measures an indicator of the
// experiment; an analyst of another region reads the lab and opens the file, without forms.
// Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectAccessible, launch, signIn } from "./helpers.js";

const LAB = "Vakantieparken zonder ondermijning";

test("the LIEC runs the hub, the host municipality works in its lab, the network reads", async () => {
  const browser = await launch();
  try {
    // 1. The LIEC: the hub, and a new lab without its fields.
    const liec = await signIn(browser, "demo.liec");
    await liec.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Field labs" }).click();
    await liec.page.waitForLoadState();
    const hub = await liec.page.locator("main").textContent();
    assert.match(hub, new RegExp(LAB));
    assert.match(hub, /Experiment/);
    await expectAccessible(liec.page, "field lab hub");
    await liec.page.getByRole("button", { name: "Field lab openen" }).click();
    await liec.page.waitForLoadState();
    const errors = await liec.page.locator("main").textContent();
    assert.match(errors, /Geef het field lab een titel/);
    assert.match(errors, /Kies de regio waar het field lab plaatsvindt/);
    await expectAccessible(liec.page, "field lab openen met fouten");
    await liec.page.getByRole("link", { name: "Fasen wijzigen, toevoegen of verwijderen" }).click();
    await liec.page.waitForLoadState();
    await expectAccessible(liec.page, "fasen van de hub");
    await liec.page.getByRole("button", { name: "Fase toevoegen" }).click();
    await liec.page.waitForLoadState();
    assert.match(await liec.page.locator("main").textContent(), /Geef de fase een naam/);
    await expectAccessible(liec.page, "fase toevoegen met fouten");
    const phase = `Borging ${Date.now() % 100000}`;
    await liec.page.getByLabel("Naam van de nieuwe fase").fill(phase);
    await liec.page.getByRole("button", { name: "Fase toevoegen" }).click();
    await liec.page.waitForURL(/melding=toegevoegd/);
    assert.match(await liec.page.locator("main").textContent(), new RegExp(`\\d+\\. ${phase}`));

    // 2. The host municipality records a decision and measures an indicator.
    const gemeente = await signIn(browser, "demo.oost.gemeente");
    await gemeente.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Field labs" }).click();
    await gemeente.page.waitForLoadState();
    await gemeente.page.getByRole("link", { name: LAB }).click();
    await gemeente.page.waitForLoadState();
    await expectAccessible(gemeente.page, "field lab (ontvangende gemeente)");
    await gemeente.page.getByLabel("Besluit of document", { exact: true }).selectOption("besluit");
    await gemeente.page.getByLabel("Titel", { exact: true }).fill("Vierde park doet mee");
    await gemeente.page.getByRole("button", { name: "Vastleggen" }).click();
    await gemeente.page.waitForURL(/melding=vastgelegd/);
    assert.match(await gemeente.page.locator("main").textContent(), /Vierde park doet mee/);
    await gemeente.page.getByLabel("Besluit of document", { exact: true }).selectOption("document");
    await gemeente.page.getByLabel("Titel", { exact: true }).fill("Plan van aanpak vierde park");
    await gemeente.page.getByLabel("Bestand (niet verplicht)").setInputFiles({ name: "plan-vierde-park.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF") });
    await gemeente.page.getByRole("button", { name: "Vastleggen" }).click();
    await gemeente.page.waitForURL(/melding=vastgelegd/);
    assert.match(await gemeente.page.locator("main").textContent(), /plan-vierde-park\.pdf/);
    await gemeente.page.getByRole("link", { name: /Experiment bijwerken en indicatoren meten/ }).click();
    await gemeente.page.waitForLoadState();
    await expectAccessible(gemeente.page, "experiment van een field lab");
    await gemeente.page.getByLabel("Resultaat van Niet-ingeschreven bewoners").fill("64");
    await gemeente.page.getByRole("button", { name: /Resultaat opslaan.*Niet-ingeschreven bewoners/ }).click();
    await gemeente.page.waitForURL(/melding=experiment/);
    assert.equal(await gemeente.page.getByLabel("Resultaat van Niet-ingeschreven bewoners").inputValue(), "64");

    // 3. An analyst of another region reads the lab and its results, without forms.
    const analyst = await signIn(browser, "demo.limburg.analist");
    await analyst.page.goto(gemeente.page.url().replace(/\/experimenten\/.*$/, ""));
    const text = await analyst.page.locator("main").textContent();
    assert.match(text, /Vierde park doet mee/);
    assert.match(text, /64/);
    assert.match(text, /probleemanalyse-vakantieparken\.pdf/);
    const href = await analyst.page.getByRole("link", { name: "plan-vierde-park.pdf" }).first().getAttribute("href");
    const download = await analyst.page.request.get(new URL(href, analyst.page.url()).toString());
    assert.equal(download.status(), 200);
    assert.equal(download.headers()["content-type"], "application/pdf");
    assert.equal(await analyst.page.getByRole("button", { name: "Vastleggen" }).count(), 0);
    await expectAccessible(analyst.page, "field lab (netwerk)");
  } finally {
    await browser.close();
  }
});
