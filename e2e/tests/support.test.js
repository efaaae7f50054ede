// Specialist support: a RIEC legal adviser asks the LIEC for support on art. 13b Opiumwet (told
// in Dutch what is missing first), naming a case of her region by its reference; the LIEC takes
// the question on and answers; the adviser reads the answer and closes the question; the LIEC
// offers the answer, anonymised, as a question-and-answer item; the knowledge editor publishes
// it and the adviser finds it on the knowledge platform. Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

const QUESTION = "Mag de burgemeester een bedrijfspand sluiten na een vondst van 40 kilo hennep, als de eigenaar zegt van niets te weten? Contact: de heer Smit.";
const ANSWER = "Ja. Verwijtbaarheid van de eigenaar is geen voorwaarde voor sluiting op grond van artikel 13b Opiumwet; zij weegt mee in de evenredigheid.";

test("a RIEC asks 13b support, the LIEC answers and publishes the answer as FAQ", async () => {
  const browser = await launch();
  try {
    // 1. The legal adviser asks; without a domain and a question she is told what is missing.
    const jurist = await signIn(browser, "demo.oost.jurist");
    const page = jurist.page;
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Ondersteuning" }).click();
    await page.waitForLoadState();
    await expectAccessible(page, "ondersteuning (RIEC)");
    await page.getByRole("button", { name: "Vraag versturen naar het LIEC" }).click();
    await page.waitForLoadState();
    const errors = await page.locator("main").textContent();
    assert.match(errors, /Kies het domein van uw vraag/);
    assert.match(errors, /Stel uw vraag/);
    await expectAccessible(page, "ondersteuning vragen met fouten");
    await page.goto(`${BASE}/casussen?regio=oost-brabant`);
    const reference = (await page.locator("main table").first().textContent()).match(/CAS-\d{4}-\d+/)?.[0] ?? "";
    assert.ok(reference, "a case of her region to name");
    await page.goto(`${BASE}/ondersteuning`);
    await page.getByLabel("Domein van uw vraag").selectOption("13b-opiumwet");
    await page.getByLabel("Uw vraag", { exact: true }).fill(QUESTION);
    await page.getByLabel("Kenmerk van het dossier (niet verplicht)").fill(reference);
    await page.getByRole("button", { name: "Vraag versturen naar het LIEC" }).click();
    await page.waitForURL(/\/ondersteuning\/\d+\?melding=gesteld/);
    const requestUrl = page.url().replace(/\?.*$/, "");
    const asked = await page.locator("main").textContent();
    assert.match(asked, /Ingediend/);
    await expectAccessible(page, "ondersteuningsvraag (RIEC)");

    // 2. The LIEC takes it on and answers.
    const liec = await signIn(browser, "demo.liec");
    await liec.page.goto(requestUrl);
    assert.match(await liec.page.locator("main").textContent(), new RegExp(reference));
    await liec.page.getByRole("button", { name: "In behandeling nemen" }).click();
    await liec.page.waitForURL(/melding=stap/);
    await liec.page.getByLabel("Uw antwoord").fill(ANSWER);
    await liec.page.getByRole("button", { name: "Beantwoorden" }).click();
    await liec.page.waitForURL(/melding=stap/);
    await expectAccessible(liec.page, "ondersteuningsvraag (LIEC)");

    // 3. The adviser reads the answer and closes the question.
    await page.goto(requestUrl);
    assert.match(await page.locator("main").textContent(), /Antwoord van het LIEC/);
    await page.getByRole("button", { name: "Sluiten" }).click();
    await page.waitForURL(/melding=stap/);
    assert.match(await page.locator("main").textContent(), /Gesloten/);

    // 4. The LIEC offers the answer, anonymised, as a question and answer.
    await liec.page.goto(requestUrl);
    await liec.page.getByRole("link", { name: /als vraag en antwoord/ }).click();
    await liec.page.waitForLoadState();
    const draft = await liec.page.getByLabel("Vraag", { exact: true }).inputValue();
    assert.doesNotMatch(draft, /Smit/);
    assert.match(draft, /\[naam\]/);
    await expectAccessible(liec.page, "vraag en antwoord aanbieden");
    await liec.page.getByLabel("Titel").fill("Artikel 13b: sluiten als de eigenaar van niets weet");
    await liec.page.getByRole("button", { name: "Aanbieden aan de kennisredactie" }).click();
    await liec.page.waitForURL(/melding=kennisitem/);
    await liec.page.getByRole("link", { name: "Kennisitem van dit antwoord" }).click();
    await liec.page.waitForLoadState();
    const itemUrl = liec.page.url();

    // 5. The knowledge editor publishes it; the adviser reads it on the knowledge platform.
    const editor = await signIn(browser, "demo.kennis");
    await editor.page.goto(itemUrl);
    await editor.page.getByRole("button", { name: "Publiceren" }).click();
    await editor.page.waitForURL(/melding=stap/);
    await page.goto(itemUrl);
    assert.match(await page.locator("h1").textContent(), /Artikel 13b: sluiten als de eigenaar van niets weet/);
    assert.match(await page.locator("main").textContent(), /Verwijtbaarheid van de eigenaar/);
    await expectAccessible(page, "vraag en antwoord (netwerk)");

    // 6. The Bibob calculator.
    await page.goto(`${BASE}/ondersteuning/bibob-termijn`);
    await page.getByLabel("Adviesaanvraag ontvangen op").fill("2026-01-07");
    await page.getByLabel("Verlenging in weken").fill("4");
    await page.getByLabel("Opschorting 1: van").fill("2026-01-10");
    await page.getByLabel("Opschorting 1: tot").fill("2026-01-20");
    await page.getByRole("button", { name: "Berekenen" }).click();
    await page.waitForLoadState();
    assert.match(await page.locator("main").textContent(), /De adviestermijn eindigt op 13-04-2026/);
    await expectAccessible(page, "bibob-termijn");
  } finally {
    await browser.close();
  }
});
