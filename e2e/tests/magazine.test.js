// Code Geel: a visitor reads the published theme issue (its public articles, not the network's)
// and its printable edition; the knowledge editor adds an article to the concept edition (told
// in Dutch what is missing first) and publishes it; an analyst reads the new edition with its
// article for the network. Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

test("visitors read the public articles, the editor publishes, the network reads its articles", async () => {
  const browser = await launch();
  try {
    // 1. A visitor reads the theme issue and its printable edition.
    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    await page.goto(`${BASE}/code-geel`);
    await expectAccessible(page, "code geel");
    await page.getByRole("link", { name: /themanummer Ondermijning in het buitengebied/ }).click();
    await page.waitForLoadState();
    const issue = await page.locator("main").textContent();
    assert.match(issue, /Een schuur vol vaten/);
    assert.doesNotMatch(issue, /Zo pakte Oost-Brabant het aan/);
    await expectAccessible(page, "code geel themanummer");
    await page.getByRole("link", { name: "Afdrukversie" }).click();
    await page.waitForLoadState();
    assert.match(await page.locator("main").textContent(), /Vijf signalen op het erf/);
    await expectAccessible(page, "code geel afdrukversie");
    const pdf = await page.request.get(page.url().replace(/\/afdruk$/, "/code-geel.pdf"));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()["content-type"], "application/pdf");

    // 2. The editor adds an article to the concept edition and publishes it.
    const editor = await signIn(browser, "demo.kennis");
    await editor.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Code Geel" }).click();
    await editor.page.waitForLoadState();
    await editor.page.getByRole("link", { name: /^Code Geel 1, \d{4}$/ }).click();
    await editor.page.waitForLoadState();
    await editor.page.getByRole("button", { name: "Artikel toevoegen" }).click();
    await editor.page.waitForLoadState();
    const errors = await editor.page.locator("main").textContent();
    assert.match(errors, /Geef het artikel een titel/);
    await expectAccessible(editor.page, "code geel artikel met fouten");
    await editor.page.getByLabel("Titel", { exact: true }).fill("Bibob in de praktijk");
    await editor.page.getByLabel("Intro", { exact: true }).fill("Drie gemeenten over hun eerste Bibob-toetsen.");
    await editor.page.getByLabel("Tekst", { exact: true }).fill("Wat ging goed, wat kon beter.\n\nEn wat zij anderen aanraden.");
    await editor.page.getByRole("button", { name: "Artikel toevoegen" }).click();
    await editor.page.waitForURL(/melding=artikel/);
    await editor.page.getByRole("button", { name: "Editie publiceren" }).click();
    await editor.page.waitForURL(/melding=gepubliceerd/);
    const editionUrl = editor.page.url().replace(/\?.*$/, "");
    await expectAccessible(editor.page, "code geel editie (redactie)");

    // 3. An analyst reads the new edition with its articles for the network.
    const analyst = await signIn(browser, "demo.limburg.analist");
    await analyst.page.goto(editionUrl);
    const text = await analyst.page.locator("main").textContent();
    assert.match(text, /Een jaar Landelijke Fenomeentafels/);
    assert.match(text, /Bibob in de praktijk/);
    await expectAccessible(analyst.page, "code geel editie (netwerk)");
  } finally {
    await browser.close();
  }
});
