// The Landelijke Fenomeentafels: the LIEC opens a table on "ondermijning in de vastgoedketen"
// (told in Dutch what is missing first), seats the notaries' association as private member,
// records a meeting and an action, and makes the action a bestuurlijk signaal; the knowledge
// editor writes the table's product for its group and the LIEC publishes it; the notary signs
// in, sees the table, its work and the product, and gets "niet gevonden" on a case. Zero axe
// violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

const NOTARIES = "Koninklijke Notariële Beroepsorganisatie";
const ACTION = "Notarissen mogen ongebruikelijke transacties niet met gemeenten delen";

test("the LIEC runs a phenomenon table with a private member", async () => {
  const browser = await launch();
  try {
    // 1. The LIEC opens the table; without a name and phenomenon she is told what is missing.
    const liec = await signIn(browser, "demo.liec");
    const page = liec.page;
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Fenomeentafels" }).click();
    await page.waitForLoadState();
    assert.match(await page.locator("main").textContent(), /Landelijke Fenomeentafel Witwassen/);
    await expectAccessible(page, "fenomeentafels");
    await page.getByRole("button", { name: "Tafel openen" }).click();
    await page.waitForLoadState();
    const errors = await page.locator("main").textContent();
    assert.match(errors, /Geef de tafel een naam/);
    assert.match(errors, /Kies het fenomeen van de tafel\./);
    await expectAccessible(page, "fenomeentafel openen met fouten");
    await page.getByLabel("Naam van de tafel").fill("Ondermijning in de vastgoedketen");
    await page.getByLabel("Fenomeen").selectOption({ label: "Fraude en misbruik in de vastgoedsector" });
    await page.getByRole("button", { name: "Tafel openen" }).click();
    await page.waitForURL(/\/fenomeentafels\/\d+\?melding=geopend/);
    const tableUrl = page.url().replace(/\?.*$/, "");
    await expectAccessible(page, "fenomeentafel (LIEC)");

    // 2. The notaries' association joins as private member.
    await page.getByLabel("Organisatie").selectOption({ label: NOTARIES });
    await page.getByLabel("Sector").selectOption("privaat");
    await page.getByLabel("Rol aan tafel").fill("lid");
    await page.getByRole("button", { name: "Lid toevoegen" }).click();
    await page.waitForURL(/melding=lid/);
    assert.match(await page.locator("#leden ~ .kp-scroll").first().textContent(), new RegExp(NOTARIES));

    // 3. A meeting with the notaries present, and an action they take on.
    await page.getByLabel("Datum").fill("2026-11-20");
    await page.getByLabel("Agenda", { exact: true }).fill("Kennismaking; knelpunten bij het delen van signalen door notarissen.");
    await page.getByRole("group", { name: "Aanwezig" }).getByLabel(NOTARIES).check();
    await page.getByLabel("Besluiten").fill("Het knelpunt gaat als bestuurlijk signaal naar het loket.");
    await page.getByRole("button", { name: "Overleg vastleggen" }).click();
    await page.waitForURL(/melding=overleg/);
    assert.match(await page.locator("main").textContent(), /Overleg van 20-11-2026/);
    await page.getByLabel("Soort").selectOption("wet-en-regelgeving");
    await page.getByLabel("Actie", { exact: true }).fill(ACTION);
    await page.getByLabel("Trekker").selectOption({ label: NOTARIES });
    await page.getByLabel("Deadline").fill("2027-03-01");
    await page.getByRole("button", { name: "Actie afspreken" }).click();
    await page.waitForURL(/melding=actie/);
    await expectAccessible(page, "fenomeentafel met overleg en actie");

    // 4. The action becomes a bestuurlijk signaal: a draft of the LIEC, named after the table.
    await page.getByRole("button", { name: /^Maak een bestuurlijk signaal/ }).click();
    await page.waitForURL(/\/signalen\/\d+/);
    const signal = await page.locator("main").textContent();
    assert.match(signal, new RegExp(ACTION));
    assert.match(signal, /Ondermijning in de vastgoedketen/);
    await page.goto(tableUrl);
    assert.match(await page.locator("#acties ~ .kp-scroll").first().textContent(), /BS-\d{4}-\d+/);

    // 5. The knowledge editor writes the table's product for its group; the LIEC publishes it.
    const editor = await signIn(browser, "demo.kennis");
    await editor.page.goto(`${BASE}/kennis/nieuw`);
    await editor.page.getByLabel("Soort", { exact: true }).selectOption("tafelproduct");
    await editor.page.getByLabel("Soort product (bij een product van een fenomeentafel)").selectOption("fenomeenbeeld");
    await editor.page.getByLabel("Titel").fill("Fenomeenbeeld ondermijning in de vastgoedketen");
    await editor.page.getByLabel("Samenvatting").fill("Hoe criminelen via vastgoed geld witwassen, en wat notarissen zien.");
    await editor.page.getByLabel("Fraude en misbruik in de vastgoedsector").check();
    await editor.page.getByLabel("Wie leest het").selectOption("groep");
    await editor.page.getByLabel("Kennisgroep (alleen bij 'Groep')").selectOption({ label: "Ondermijning in de vastgoedketen" });
    await editor.page.getByRole("button", { name: "Opslaan" }).click();
    await editor.page.waitForURL(/\/kennis\/\d+\?melding=opgeslagen/);
    const productUrl = editor.page.url().replace(/\?.*$/, "");
    await editor.page.getByRole("button", { name: "Ter beoordeling aanbieden" }).click();
    await editor.page.waitForURL(/melding=stap/);
    await page.goto(productUrl);
    await page.getByRole("button", { name: "Publiceren" }).click();
    await page.waitForURL(/melding=stap/);

    // 6. The notary sees the table, its work and the product; a case is "niet gevonden".
    const notary = await signIn(browser, "demo.notaris");
    await notary.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Fenomeentafels" }).click();
    await notary.page.waitForLoadState();
    const list = await notary.page.locator("main").textContent();
    assert.match(list, /Ondermijning in de vastgoedketen/);
    assert.doesNotMatch(list, /Witwassen/, "not the tables it does not sit at");
    await notary.page.getByRole("link", { name: "Ondermijning in de vastgoedketen" }).click();
    await notary.page.waitForLoadState();
    const seen = await notary.page.locator("main").textContent();
    assert.match(seen, /Overleg van 20-11-2026/);
    assert.match(seen, new RegExp(ACTION));
    assert.doesNotMatch(seen, /Een lid toevoegen/);
    assert.match(seen, /Fenomeenbeeld ondermijning in de vastgoedketen/, "the table lists its product");
    await expectAccessible(notary.page, "fenomeentafel (privaat lid)");
    await notary.page.goto(productUrl);
    assert.match(await notary.page.locator("h1").textContent(), /Fenomeenbeeld ondermijning in de vastgoedketen/);
    await notary.page.goto(`${BASE}/casussen/1`);
    assert.match(await notary.page.locator("h1").textContent(), /niet gevonden|Niet gevonden|geen toegang|Geen toegang/i);
  } finally {
    await browser.close();
  }
});
