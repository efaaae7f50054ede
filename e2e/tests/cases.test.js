// Journey of a RIEC case: a municipality registers a signal; the RIEC analyst weighs it, opens a
// case and admits the police and the Belastingdienst; the police adds an item that the
// Belastingdienst cannot see (404) until the police releases it; an information request is
// answered; advice is drafted and approved; an intervention is committed and completed with an
// amount; the case is closed. Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, mailsTo, signIn, unread, workCount } from "./helpers.js";

async function go(page, url, label) {
  await page.goto(url);
  await expectAccessible(page, label);
}

async function follow(page, name, label) {
  await page.getByRole("link", { name, exact: true }).click();
  await page.waitForLoadState();
  await expectAccessible(page, label);
}

async function submit(page, name, label) {
  await page.getByRole("button", { name, exact: true }).click();
  await page.waitForLoadState();
  assert.doesNotMatch(await page.title(), /Ongeldig|Geen toegang|niet gevonden|Conflict/, `${label}: ${await page.locator("main").textContent()}`);
  await expectAccessible(page, label);
}

test("a case from a municipality's signal to closure, with need-to-know per item", async () => {
  const browser = await launch();
  const title = `Nagelstudio met veel contante omzet ${Date.now().toString(36)}`;
  const itemTitle = "Bestuurlijke rapportage politie";
  try {
    // 1. The municipality registers a signal.
    let { context, page } = await signIn(browser, "demo.oost.gemeente");
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Casussen" }).click();
    await page.waitForURL(/\/casussen$/);
    await expectAccessible(page, "casussen (gemeente)");
    await follow(page, "Signaal registreren", "signaal registreren");
    // Bad input first: nothing filled in gives a Dutch error summary, and nothing is stored.
    await page.getByRole("button", { name: "Registreren" }).click();
    await page.waitForLoadState();
    assert.match(await page.locator("#foutmeldingen").textContent(), /Geef het signaal een titel/);
    await expectAccessible(page, "signaal registreren met fouten");
    await page.getByLabel("Titel").fill(title);
    await page.getByLabel("Omschrijving").fill("Een nagelstudio aan de Markt heeft nauwelijks klanten maar stort elke week grote bedragen contant.");
    await page.getByLabel("Gemeente", { exact: true }).selectOption({ label: "Eindhoven (RIEC Oost-Brabant)" });
    await page.getByLabel("Witwassen en financieel-economische criminaliteit").check();
    await submit(page, "Registreren", "geregistreerd signaal");
    const caseUrl = page.url().split("?")[0];
    assert.match(caseUrl, /\/casussen\/\d+$/);
    assert.match(await page.locator("main").textContent(), /Signaal/);
    await context.close();

    // 2. The RIEC analyst weighs it, opens a case and admits the police and the Belastingdienst.
    ({ context, page } = await signIn(browser, "demo.oost.analist"));
    await go(page, `${BASE}/casussen`, "casussen (analist)");
    await follow(page, title, "casus in fase signaal");
    await follow(page, "Weging starten", "weging starten");
    await submit(page, "Weging starten", "casus in weging");
    await follow(page, "Casus openen", "casus openen");
    await page.getByLabel("Reden van het besluit").fill("Past in het convenant (witwassen) en vraagt om een integrale aanpak.");
    await submit(page, "Casus openen", "casus geopend");
    for (const org of ["Nationale Politie", "Belastingdienst"]) {
      await follow(page, "Partner toelaten", `partner toelaten: ${org}`);
      await page.getByLabel("Organisatie").selectOption({ label: org });
      await page.getByLabel("Reden (need-to-know)").fill(`${org} heeft eigen interventiemogelijkheden.`);
      await submit(page, "Toelaten", `${org} toegelaten`);
    }
    await context.close();

    // 3. The police adds an item: visible to the RIEC case team and the police only.
    ({ context, page } = await signIn(browser, "demo.oost.politie"));
    await go(page, caseUrl, "casus (politie)");
    await follow(page, "Informatie bijdragen", "informatie bijdragen");
    await page.getByLabel("Titel").fill(itemTitle);
    await page.getByLabel("Inhoud").fill("Op het adres staan drie auto's op naam van de onderneming; de eigenaar is bekend van witwassen.");
    await page.getByLabel("Grondslag").selectOption({ label: "Wet politiegegevens art. 20" });
    await page.getByLabel("Doel (doelbinding)").selectOption({ label: "Integrale aanpak van ondermijnende criminaliteit" });
    await page.getByLabel("Betrouwbaarheid").selectOption({ label: "Betrouwbare bron" });
    await page.getByLabel("Rubricering").selectOption({ label: "Vertrouwelijk" });
    await submit(page, "Opslaan", "bijdrage van de politie");
    const itemUrl = page.url().split("?")[0];
    assert.match(itemUrl, /\/informatie\/\d+$/);

    // 4. The Belastingdienst cannot see it: 404, and the case shows no items.
    const tax = await signIn(browser, "demo.oost.belastingdienst");
    const notFound = await tax.page.goto(itemUrl);
    assert.equal(notFound.status(), 404);
    await expectAccessible(tax.page, "bijdrage niet zichtbaar (404)");
    await go(tax.page, caseUrl, "casus (Belastingdienst) zonder bijdrage");
    assert.doesNotMatch(await tax.page.locator("main").textContent(), new RegExp(itemTitle));

    // 5. The police releases it to the Belastingdienst; now it can see it.
    await page.getByLabel("Vrijgeven aan").selectOption({ label: "Belastingdienst" });
    await submit(page, "Vrijgeven", "bijdrage vrijgegeven");
    assert.match(await page.locator("main").textContent(), /vrijgegeven/);
    await context.close();
    const visible = await tax.page.goto(itemUrl);
    assert.equal(visible.status(), 200);
    await expectAccessible(tax.page, "bijdrage zichtbaar voor de Belastingdienst");
    assert.match(await tax.page.locator("h1").textContent(), new RegExp(itemTitle));

    // 6. The analyst sends an information request to the Belastingdienst.
    const taxMail = "demo.oost.belastingdienst@demo.knooppunt.example";
    const mailsBefore = await mailsTo(taxMail);
    await go(tax.page, `${BASE}/`, "mijn werk voor de uitvraag (Belastingdienst)");
    const bellBefore = await unread(tax.page);
    ({ context, page } = await signIn(browser, "demo.oost.analist"));
    await go(page, caseUrl, "casus (analist)");
    await follow(page, "Uitvraag versturen", "uitvraag versturen");
    await page.getByLabel("Vragen").fill("Welke aangiften en aanslagen zijn er de laatste drie jaar?");
    await page.getByLabel("Termijn").fill("2030-01-15");
    await page.getByLabel("Belastingdienst").check();
    await submit(page, "Versturen", "uitvraag verstuurd");

    // 6a. The Belastingdienst is told: the e-mail digest arrives in the SMTP server (a count and
    // a link, nothing of the case), the bell counts one more, and the notification leads to the
    // list of requests to answer.
    if (mailsBefore !== null) {
      let mails = mailsBefore;
      for (let i = 0; i < 60 && mails.length === mailsBefore.length; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        mails = await mailsTo(taxMail);
      }
      assert.ok(mails.length > mailsBefore.length, "the e-mail digest reached the SMTP server");
      const mail = mails.find((m) => !mailsBefore.includes(m));
      assert.match(mail, /^Subject: knooppunt: er (staat een nieuwe melding|staan \d+ nieuwe meldingen) voor u klaar$/m);
      assert.match(mail, /\/meldingen/);
      assert.doesNotMatch(mail, /Nagelstudio|aanslagen|CAS-/);
    }
    await go(tax.page, `${BASE}/`, "mijn werk na de uitvraag (Belastingdienst)");
    assert.equal(await unread(tax.page), bellBefore + 1);
    await tax.page.locator(".kp-bell").click();
    await tax.page.waitForLoadState();
    await expectAccessible(tax.page, "meldingen (Belastingdienst)");
    await tax.page.getByRole("button", { name: /^Openen: Er is een verzoek om informatie aan uw organisatie/ }).first().click();
    await tax.page.waitForLoadState();
    assert.match(tax.page.url(), /\/casussen\?werk=uitvraag$/);
    await expectAccessible(tax.page, "uitvragen via de melding (Belastingdienst)");
    assert.equal(await unread(tax.page), bellBefore);

    // 7. The Belastingdienst finds the request on "Mijn werk", follows it to the case and
    // answers; the answer becomes its own item, and the request leaves the work list.
    const requests = "Uitvragen aan uw organisatie te beantwoorden";
    await go(tax.page, `${BASE}/`, "mijn werk (Belastingdienst)");
    const requestsBefore = await workCount(tax.page, requests);
    assert.ok(requestsBefore >= 1, "the request is on the Belastingdienst's work list");
    await follow(tax.page, requests, "casussen met een open uitvraag");
    await follow(tax.page, title, "casus met uitvraag (Belastingdienst)");
    await tax.page.getByRole("link", { name: /beantwoorden$/ }).click();
    await tax.page.waitForLoadState();
    await expectAccessible(tax.page, "uitvraag beantwoorden");
    await tax.page.getByLabel("Titel").fill("Fiscale gegevens nagelstudio");
    await tax.page.getByLabel("Inhoud").fill("Omzet 2025: € 480.000 contant; geen loonaangifte.");
    await tax.page.getByLabel("Grondslag").selectOption({ label: "AWR / Uitvoeringsregeling art. 43c" });
    await tax.page.getByLabel("Doel (doelbinding)").selectOption({ label: "Fiscale handhaving en invordering" });
    await tax.page.getByLabel("Betrouwbaarheid").selectOption({ label: "Bevestigd uit meerdere bronnen" });
    await tax.page.getByLabel("Rubricering").selectOption({ label: "Vertrouwelijk" });
    await submit(tax.page, "Antwoord opslaan", "uitvraag beantwoord");
    assert.match(await tax.page.locator("#uitvragen ~ section").first().textContent(), /Beantwoord/);
    await go(tax.page, `${BASE}/`, "mijn werk na antwoord (Belastingdienst)");
    assert.equal(await workCount(tax.page, requests), requestsBefore - 1);

    // 8. The analyst drafts the advice, and proposes the intervention.
    await go(page, caseUrl, "casus na antwoord (analist)");
    await follow(page, "Advies opstellen (nieuwe versie)", "advies opstellen");
    await page.getByLabel("Bevindingen").fill("De contante omzet past niet bij de activiteit; vermoeden van witwassen.");
    await page.getByLabel("Voorgestelde interventies per partner").fill("Belastingdienst: boekenonderzoek en navordering. Gemeente: Bibob bij verlenging.");
    await submit(page, "Versie opslaan", "advies opgeslagen");
    await follow(page, "Interventie voorstellen", "interventie voorstellen");
    await page.getByLabel("Interventie", { exact: true }).selectOption({ label: "Boekenonderzoek, navorderingsaanslag, invordering (fiscaal; Belastingdienst)" });
    await page.getByLabel("Uitvoerende partner").selectOption({ label: "Belastingdienst" });
    await page.getByLabel("Wettelijke bevoegdheid").fill("AWR art. 47 en 16");
    await submit(page, "Voorstellen", "interventie voorgesteld");
    await context.close();

    // 9. The RIEC manager finds the advice on "Mijn werk", follows it and approves it; it
    // leaves the work list.
    ({ context, page } = await signIn(browser, "demo.oost.manager"));
    const advice = "Adviezen goed te keuren in RIEC Oost-Brabant";
    await go(page, `${BASE}/`, "mijn werk (manager)");
    const adviceBefore = await workCount(page, advice);
    assert.ok(adviceBefore >= 1, "the advice is on the manager's work list");
    await follow(page, advice, "casussen met advies dat wacht");
    await follow(page, title, "casus (manager)");
    await submit(page, "Versie 1 goedkeuren", "advies goedgekeurd");
    assert.match(await page.locator("#advies ~ section").first().textContent(), /Goedgekeurd/);
    await go(page, `${BASE}/`, "mijn werk na goedkeuren (manager)");
    assert.equal(await workCount(page, advice), adviceBefore - 1);
    await context.close();

    // 10. The Belastingdienst commits to and completes the intervention, with an amount.
    await go(tax.page, caseUrl, "casus met interventie (Belastingdienst)");
    await follow(tax.page, "Bijwerken Boekenonderzoek, navorderingsaanslag, invordering", "interventie bijwerken");
    await tax.page.getByLabel("Status").selectOption({ label: "Toegezegd" });
    await submit(tax.page, "Opslaan", "interventie toegezegd");
    await follow(tax.page, "Bijwerken Boekenonderzoek, navorderingsaanslag, invordering", "interventie afronden");
    await tax.page.getByLabel("Status").selectOption({ label: "Afgerond" });
    await tax.page.getByLabel("Besluit", { exact: true }).fill("Navorderingsaanslag opgelegd");
    await tax.page.getByLabel("Geïnd (euro)").fill("12.500,00");
    await tax.page.getByLabel("Datum afgerond of gestopt").fill("2026-11-28");
    await submit(tax.page, "Opslaan", "interventie afgerond");
    assert.match(await tax.page.locator("#interventies ~ .kp-scroll table").first().textContent(), /Afgerond.*€ 12\.500,00|€ 12\.500,00/s);
    await tax.context.close();

    // 11. The analyst closes the case with an evaluation; the analysis page works.
    ({ context, page } = await signIn(browser, "demo.oost.analist"));
    await go(page, caseUrl, "casus voor afsluiten");
    await follow(page, "Analyse: netwerkbeeld en tijdlijn", "analyse");
    await go(page, caseUrl, "casus voor afsluiten");
    await follow(page, "Afsluiten met evaluatie", "afsluiten");
    await page.getByLabel("Evaluatie").fill("€ 12.500 geïnd via navordering; de vergunning wordt bij verlenging getoetst.");
    await submit(page, "Afsluiten met evaluatie", "casus afgesloten");
    assert.match(await page.locator(".kp-summary").textContent(), /Afgesloten/);
    await follow(page, "Casusdossier afdrukken", "casusdossier");
    await context.close();
  } finally {
    await browser.close();
  }
});

test("the network picture of a case with fifty subjects keeps every name whole and is accessible", async () => {
  const browser = await launch();
  try {
    const { context, page } = await signIn(browser, "demo.oost.analist");
    await go(page, `${BASE}/casussen?regio=oost-brabant`, "casussen van de regio");
    await follow(page, "Vastgoednetwerk rond een familieholding", "casus met een groot netwerk");
    await follow(page, "Analyse: netwerkbeeld en tijdlijn", "netwerkbeeld met vijftig betrokkenen");
    assert.match(await page.locator("main").textContent(), /50 betrokkenen van 50/);
    // No label is cut: every name on the page's relation table appears whole in the picture.
    const labels = await page.locator("svg.kp-network text.kp-halo").allTextContents();
    assert.ok(labels.every((l) => !l.endsWith("…")), "a label was cut");
    // Filtering by kind is a plain form.
    await page.getByLabel("Natuurlijk persoon").check();
    await submit(page, "Filteren", "netwerkbeeld: alleen personen");
    assert.match(await page.locator("main").textContent(), /15 betrokkenen van 50/);
    await context.close();
  } finally {
    await browser.close();
  }
});
