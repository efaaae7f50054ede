// Journey of the Landelijk Loket Bestuurlijke Signalen: a police officer submits a signal with a
// BSN in it, is warned, redacts it and submits; the desk asks a question and the officer
// answers; the desk accepts, offers it to a ministry with the generated letter, records the
// response and closes it; the overview shows it. Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn, workCount } from "./helpers.js";

async function openSignal(page, title) {
  await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Bestuurlijke signalen" }).click();
  await page.waitForURL(/\/signalen$/);
  await page.getByRole("link", { name: title, exact: true }).click();
  await page.waitForURL(/\/signalen\/\d+/);
}

async function step(page, name) {
  await page.getByRole("button", { name, exact: true }).click();
  await page.waitForLoadState();
}

test("a signal from submission with a BSN to closure", async () => {
  const browser = await launch();
  const title = `Huurtoeslag via briefadressen ${Date.now()}`;
  try {
    // The police officer writes the signal, with a BSN by mistake.
    let { context, page } = await signIn(browser, "demo.oost.politie");
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Bestuurlijke signalen" }).click();
    await page.waitForURL(/\/signalen$/);
    await expectAccessible(page, "signalen");
    await page.getByRole("link", { name: "Nieuw signaal opstellen" }).click();
    await page.waitForURL(/\/signalen\/nieuw/);
    await expectAccessible(page, "nieuw signaal");
    await page.getByLabel("Titel").fill(title);
    await page.getByLabel("Welk juridisch proces wordt gebruikt of misbruikt?").fill("Inschrijving op een briefadres in de BRP en de aanvraag van huurtoeslag.");
    await page.getByLabel("Wat is de zwakke plek?").fill("Op één briefadres staan tientallen personen ingeschreven, onder wie de persoon met BSN 111222333; niemand toetst dat.");
    await page.getByLabel("Waarom is dit structureel?").fill("Het komt in veel gemeenten voor en volgt uit de opzet van de briefadresregeling.");
    await page.getByLabel("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties").check();
    await page.getByLabel("Witwassen en financieel-economische criminaliteit").check();
    await page.getByLabel("Wat zou er moeten veranderen?").fill("Een signaal bij meer dan tien inschrijvingen op één briefadres.");
    await page.getByLabel("Contactpersoon").fill("Teamleider ondermijning, politie Oost-Brabant");
    await page.getByRole("button", { name: "Opslaan als concept" }).click();
    await page.waitForURL(/\/signalen\/\d+/);
    const url = page.url().split("?")[0];
    assert.match(await page.locator("#persoonsgegevens-waarschuwing").textContent(), /BSN: 11•••••33/);
    await expectAccessible(page, "concept met waarschuwing");

    // An attachment: a PDF is accepted, its type is read from the content.
    await page.getByLabel("Bijlage toevoegen").setInputFiles({ name: "analyse-briefadressen.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7\n%%EOF") });
    await page.getByRole("button", { name: "Bijlage uploaden" }).click();
    await page.waitForURL(/melding=bijlage/);
    assert.match(await page.locator("main").textContent(), /analyse-briefadressen\.pdf/);

    // Submitting without confirming is refused with the warning in the error summary.
    await step(page, "Indienen");
    assert.match(await page.locator("#foutmeldingen").textContent(), /persoonsgegevens/);
    await expectAccessible(page, "indienen geweigerd");

    // Redact and submit.
    await page.getByRole("link", { name: "Signaal bewerken" }).first().click();
    await page.waitForURL(/\/bewerken/);
    await expectAccessible(page, "signaal bewerken");
    await page.getByLabel("Wat is de zwakke plek?").fill("Op één briefadres staan tientallen personen ingeschreven; niemand toetst dat.");
    await page.getByRole("button", { name: "Opslaan als concept" }).click();
    await page.waitForURL(/\/signalen\/\d+\?melding=opgeslagen/);
    assert.equal(await page.locator("#persoonsgegevens-waarschuwing").count(), 0);
    await step(page, "Indienen");
    assert.match(await page.locator("main").textContent(), /Status\s*Ingediend/);
    await context.close();

    // The desk starts on Mijn werk, follows the line of submitted signals to this one, takes it
    // into assessment (it leaves that line for the next) and asks a question.
    ({ context, page } = await signIn(browser, "demo.loket"));
    const submitted = "Bestuurlijke signalen die wachten tot het loket ze beoordeelt";
    const assessing = "Bestuurlijke signalen in beoordeling";
    await page.goto(`${BASE}/`);
    await expectAccessible(page, "mijn werk van het loket");
    const submittedBefore = await workCount(page, submitted);
    const assessingBefore = await workCount(page, assessing);
    assert.ok(submittedBefore >= 1);
    await page.getByRole("link", { name: submitted, exact: true }).click();
    await page.waitForURL(/\/signalen\?status=ingediend/);
    await expectAccessible(page, "ingediende signalen");
    await page.getByRole("link", { name: title, exact: true }).click();
    await page.waitForURL(/\/signalen\/\d+/);
    await expectAccessible(page, "signaal bij het loket");
    await step(page, "In beoordeling nemen");
    await page.goto(`${BASE}/`);
    assert.equal(await workCount(page, submitted), submittedBefore - 1);
    assert.equal(await workCount(page, assessing), assessingBefore + 1);
    await page.goto(url);
    await page.getByLabel("Nieuw bericht").fill("Om hoeveel briefadressen gaat het in uw regio?");
    await page.getByRole("button", { name: "Bericht plaatsen" }).click();
    await page.waitForURL(/melding=bericht/);
    await context.close();

    // The officer answers.
    ({ context, page } = await signIn(browser, "demo.oost.politie"));
    await page.goto(url);
    assert.match(await page.locator("main").textContent(), /Om hoeveel briefadressen/);
    await page.getByLabel("Nieuw bericht").fill("Ten minste veertig, in zes gemeenten.");
    await page.getByRole("button", { name: "Bericht plaatsen" }).click();
    await page.waitForURL(/melding=bericht/);
    await expectAccessible(page, "antwoord geplaatst");
    await context.close();

    // The desk accepts, offers with the generated letter, records the response and closes.
    ({ context, page } = await signIn(browser, "demo.loket"));
    await page.goto(url);
    assert.match(await page.locator("main").textContent(), /Ten minste veertig/);
    await step(page, "Aanvaarden");
    await page.getByRole("link", { name: "Aanbiedingsbrief opstellen en aanbieden" }).click();
    await page.waitForURL(/\/aanbieden/);
    await expectAccessible(page, "aanbieden");
    const letter = await page.getByLabel("Aanbiedingsbrief").inputValue();
    assert.match(letter, /Geachte minister/);
    assert.match(letter, /Ministerie van Binnenlandse Zaken en Koninkrijksrelaties/);
    await step(page, "Aanbieden");
    await page.waitForURL(/melding=stap/);
    assert.match(await page.locator("main").textContent(), /Aangeboden aan bewindspersoon/);
    await page.getByLabel("Datum van de reactie").fill("2026-12-20");
    await page.getByLabel("Inhoud van de reactie").fill("De minister laat de briefadresregeling evalueren.");
    await step(page, "Reactie vastleggen");
    await page.waitForURL(/melding=stap/);
    await step(page, "Sluiten");
    await page.waitForURL(/melding=stap/);
    assert.match(await page.locator("main").textContent(), /Status\s*Gesloten/);
    await expectAccessible(page, "gesloten signaal");

    await page.goto(`${BASE}/signalen/overzicht`);
    assert.match(await page.locator("main").textContent(), new RegExp(title));
    await expectAccessible(page, "overzicht");
    await page.goto(`${BASE}/signalen/ministeries`);
    await expectAccessible(page, "ministeries");
    await page.goto(`${BASE}/`);
    assert.match(await page.locator("main").textContent(), /Loket Bestuurlijke Signalen/);
    await expectAccessible(page, "mijn werk van het loket");
    await context.close();
  } finally {
    await browser.close();
  }
});
