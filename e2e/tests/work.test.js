// Every role starts on "Mijn werk": it follows a line of its work list to where the work is
// done, does it, and sees the line count one less — the analyst weighs a signal and agrees to a
// national approach, the manager approves the advice the legal adviser had to review, the LIEC
// finishes an approach action; the RIEC manager adds the information the LIEC asked for on a
// support request and the LIEC answers one past its turnaround target; the steering group reads its escalation, the privacy officer and
// the auditor their weekly lines (the privacy officer also confirms a retention rule and destroys a
// case whose period has passed), the municipality the cases it follows, the police releases what
// it supplied, the account manager completes a returned signal, the administrator renews a token
// about to expire. Zero axe violations and
// no codes or English on every page (expectAccessible).
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn, workCount } from "./helpers.js";

/** How many things a line of "Mijn werk" counts, read on a fresh start page. */
async function waiting(page, name) {
  await page.goto(`${BASE}/`);
  return workCount(page, name);
}

async function follow(page, name, label) {
  await page.getByRole("link", { name, exact: true }).first().click();
  await page.waitForLoadState();
  await expectAccessible(page, label);
}

async function press(page, name, label) {
  await page.getByRole("button", { name }).first().click();
  await page.waitForLoadState();
  assert.doesNotMatch(await page.title(), /Ongeldig|Geen toegang|niet gevonden|Conflict/, `${label}: ${await page.locator("main").textContent()}`);
  await expectAccessible(page, label);
}

test("every role starts on Mijn werk, follows its work there and sees it go", async () => {
  const browser = await launch();
  try {
    // The analyst weighs a signal of its region.
    let { context, page } = await signIn(browser, "demo.oost.analist");
    await expectAccessible(page, "mijn werk (analist)");
    const weigh = "Signalen te wegen in RIEC Oost-Brabant";
    const signals = await waiting(page, weigh);
    assert.ok(signals >= 1, "the demo has signals to weigh");
    await follow(page, weigh, "signalen te wegen");
    await page.locator('main table a[href^="/casussen/"]').first().click();
    await page.waitForLoadState();
    await expectAccessible(page, "signaal om te wegen");
    await follow(page, "Weging starten", "weging starten");
    await press(page, "Weging starten", "signaal in weging");
    assert.equal(await waiting(page, weigh), signals - 1);

    // ... and agrees that a case of its region joins the LIEC's national approach.
    const asks = "Verzoeken om deel te nemen aan een landelijke aanpak";
    const asked = await waiting(page, asks);
    assert.ok(asked >= 1, "the demo's approach asks a case of Oost-Brabant");
    await follow(page, asks, "landelijke aanpakken (analist)");
    await follow(page, "Chapters van een motorclub in Zuid-Nederland", "landelijke aanpak met verzoek");
    await press(page, "Akkoord: casus neemt deel", "casus neemt deel");
    assert.equal(await waiting(page, asks), asked - 1);
    await context.close();

    // The legal adviser finds the draft advice to review; the manager approves it, and it
    // leaves both lists.
    ({ context, page } = await signIn(browser, "demo.oost.jurist"));
    const review = "Conceptadviezen juridisch te toetsen in RIEC Oost-Brabant";
    const drafts = await waiting(page, review);
    assert.ok(drafts >= 1, "the network case has a draft advice");
    await follow(page, review, "conceptadviezen (jurist)");
    assert.match(await page.locator("main").textContent(), /Vastgoednetwerk rond een familieholding/);
    const manager = await signIn(browser, "demo.oost.manager");
    const approve = "Adviezen goed te keuren in RIEC Oost-Brabant";
    const toApprove = await waiting(manager.page, approve);
    await follow(manager.page, approve, "adviezen goed te keuren");
    await follow(manager.page, "Vastgoednetwerk rond een familieholding", "netwerkcasus (manager)");
    await press(manager.page, /^Versie \d+ goedkeuren$/, "advies goedgekeurd");
    assert.equal(await waiting(manager.page, approve), toApprove - 1);
    assert.equal(await waiting(page, review), drafts - 1);
    // The manager answers the LIEC's question for more information on the region's support
    // request; it leaves the region's support line.
    const support = "Ondersteuningsvragen van uw RIEC met een vraag of antwoord van het LIEC";
    const infoAsked = await waiting(manager.page, support);
    assert.ok(infoAsked >= 1, "the LIEC asked Oost-Brabant for more information");
    await follow(manager.page, support, "ondersteuningsvragen (RIEC)");
    await manager.page.locator("main table tr", { hasText: "Meer informatie gevraagd" }).getByRole("link").first().click();
    await manager.page.waitForLoadState();
    await manager.page.getByLabel("De gevraagde informatie").fill("Het is een signaal; de corporatie is geen partij bij het convenant.");
    await press(manager.page, "Informatie aanvullen", "informatie aangevuld");
    assert.equal(await waiting(manager.page, support), infoAsked - 1);
    await manager.context.close();
    await context.close();

    // The LIEC answers a support request past its turnaround target; it leaves the overdue line.
    ({ context, page } = await signIn(browser, "demo.liec"));
    const overdue = "Ondersteuningsvragen over de doorlooptijd";
    const late = await waiting(page, overdue);
    assert.ok(late >= 1, "the demo's Bibob question is past its turnaround target");
    await follow(page, overdue, "ondersteuningsvragen over de doorlooptijd");
    await page.locator('main table a[href^="/ondersteuning/"]').first().click();
    await page.waitForLoadState();
    await page.getByLabel("Uw antwoord").fill("Ja: laat de beslistermijn aansluiten bij de verlengde adviestermijn en meld de aanvrager de verdaging.");
    await press(page, "Beantwoorden", "ondersteuningsvraag beantwoord");
    assert.equal(await waiting(page, overdue), late - 1);
    await context.close();

    // The LIEC reports an action of its approach done.
    ({ context, page } = await signIn(browser, "demo.liec"));
    const actions = "Open acties in landelijke aanpakken";
    const open = await waiting(page, actions);
    assert.ok(open >= 1, "the demo's approach has open actions");
    await follow(page, actions, "landelijke aanpakken (LIEC)");
    await follow(page, "Chapters van een motorclub in Zuid-Nederland", "landelijke aanpak (LIEC)");
    await press(page, /^Gereed melden/, "actie gereed");
    assert.equal(await waiting(page, actions), open - 1);
    // A bottleneck a region passed on waits for the Stuurgroep LIEC.
    const bottlenecks = "Open knelpunten van de Stuurgroep LIEC";
    assert.ok((await waiting(page, bottlenecks)) >= 1, "the demo's region passed a bottleneck on");
    await follow(page, bottlenecks, "knelpunten (Stuurgroep LIEC)");
    assert.match(await page.locator('section[aria-labelledby="knelpunten"]').textContent(), /Zorgverzekeraars mogen declaratiegegevens niet delen/);
    await context.close();

    // The steering group reads what was escalated to it: what, who, why — not the case.
    ({ context, page } = await signIn(browser, "demo.oost.stuurgroep"));
    const escalations = "Escalaties naar uw stuurgroep";
    assert.ok((await waiting(page, escalations)) >= 1);
    await follow(page, escalations, "escalaties (stuurgroep)");
    const text = await page.locator("main").textContent();
    assert.match(text, /huurcontracten/);
    assert.doesNotMatch(text, /Vastgoednetwerk|CAS-/);
    await context.close();

    // The municipality follows the cases it signalled.
    ({ context, page } = await signIn(browser, "demo.oost.gemeente"));
    const followed = "Casussen waaraan uw organisatie deelneemt";
    assert.ok((await waiting(page, followed)) >= 1, "a municipality takes part in its own cases");
    await follow(page, followed, "casussen van de gemeente");
    assert.ok((await page.locator('main table a[href^="/casussen/"]').count()) >= 1);
    await context.close();

    // A partner releases what it supplied to a case and released to nobody: the case leaves
    // the line.
    ({ context, page } = await signIn(browser, "demo.oost.politie"));
    const release = "Bijdragen van uw organisatie die u nog aan niemand hebt vrijgegeven";
    const releaseBefore = await waiting(page, release);
    assert.ok(releaseBefore >= 1);
    await follow(page, release, "casussen met bijdragen om vrij te geven");
    await page.locator('main table a[href^="/casussen/"]').first().click();
    await page.waitForURL(/\/casussen\/\d+$/);
    const caseUrl = page.url();
    const unreleased = () =>
      page
        .locator("#informatie ~ .kp-scroll")
        .first()
        .locator("tbody tr")
        .filter({ hasText: "Nationale Politie" })
        .filter({ has: page.locator("td:last-child", { hasText: /^—$/ }) });
    assert.ok((await unreleased().count()) >= 1);
    while ((await unreleased().count()) > 0) {
      await unreleased().first().getByRole("link").click();
      await page.waitForURL(/\/informatie\/\d+$/);
      await page.getByLabel("Vrijgeven aan").selectOption({ index: 1 });
      await press(page, "Vrijgeven", "bijdrage vrijgegeven");
      await page.goto(caseUrl);
    }
    assert.equal(await waiting(page, release), releaseBefore - 1);
    await context.close();

    // The account manager finds the signal the desk returned to the RIEC for completion, adds
    // to it and submits it again: it leaves the line.
    ({ context, page } = await signIn(browser, "demo.oost.accountmanager"));
    const returned = "Bestuurlijke signalen van uw organisatie die het loket terugstuurde om aan te vullen";
    const returnedBefore = await waiting(page, returned);
    assert.ok(returnedBefore >= 1, "the demo returned a signal of the RIEC");
    await follow(page, returned, "teruggestuurde signalen");
    await page.locator('main table a[href^="/signalen/"]').first().click();
    await page.waitForURL(/\/signalen\/\d+$/);
    await expectAccessible(page, "teruggestuurd signaal");
    await page.getByRole("link", { name: "Signaal bewerken" }).first().click();
    await page.waitForURL(/\/bewerken/);
    const weakness = page.getByLabel("Wat is de zwakke plek?");
    await weakness.fill(`${await weakness.inputValue()} Het speelt in ten minste vier gemeenten van de regio.`);
    await press(page, "Opslaan als concept", "signaal aangevuld");
    await press(page, "Indienen", "signaal opnieuw ingediend");
    assert.match(await page.locator("main").textContent(), /Status\s*Ingediend/);
    assert.equal(await waiting(page, returned), returnedBefore - 1);
    await context.close();

    // The administrator renews the API token that is about to expire: it leaves the line, and
    // the new secret is shown once.
    ({ context, page } = await signIn(browser, "demo.beheerder"));
    const tokensLine = "API-tokens die binnen 30 dagen verlopen";
    const tokensBefore = await waiting(page, tokensLine);
    assert.ok(tokensBefore >= 1, "the demo has a token about to expire");
    await follow(page, tokensLine, "API-tokens");
    const expiringRow = page.locator("main tbody tr", { hasText: "vernieuw het" }).first();
    await expiringRow.getByRole("button", { name: /^Vernieuwen/ }).click();
    await page.waitForLoadState();
    assert.match(await page.locator("#nieuw-token").textContent(), /^kp_/);
    await expectAccessible(page, "token vernieuwd");
    assert.equal(await waiting(page, tokensLine), tokensBefore - 1);
    await context.close();

    // The privacy officer and the auditor look at the week's exports and refusals.
    ({ context, page } = await signIn(browser, "demo.privacy"));
    const exportsLine = "Verwerkingen door afdrukken of exporteren van casusdossiers, afgelopen 7 dagen";
    await waiting(page, exportsLine);
    await follow(page, exportsLine, "exporten in het verwerkingenlogboek");
    assert.match(await page.locator("main").textContent(), /in de afgelopen 7 dagen/);
    // The register of processing activities, generated from the configuration.
    await page.goto(`${BASE}/verwerkingen`);
    await follow(page, "register van verwerkingsactiviteiten", "register van verwerkingsactiviteiten");
    assert.match(await page.locator("main").textContent(), /Verwerkingsverantwoordelijken/);
    // Retention: the rules first (defaults to confirm), then the cases whose period has passed;
    // a destruction without the confirmation is shown again, then done, and the line drops.
    await page.getByRole("link", { name: "Bewaartermijnen", exact: true }).click();
    await expectAccessible(page, "bewaartermijnen");
    assert.match(await page.locator("main").textContent(), /Standaardtermijn, nog niet bevestigd/);
    await page.getByRole("link", { name: "Vaststellen: Signaal afgewezen" }).click();
    await expectAccessible(page, "bewaartermijn vaststellen");
    await page.getByLabel("Termijn in maanden").fill("");
    await page.getByRole("button", { name: "Termijn vaststellen" }).click();
    await expectAccessible(page, "bewaartermijn vaststellen met een fout");
    assert.match(await page.locator("main").textContent(), /Vul de termijn in maanden in/);
    await page.getByLabel("Termijn in maanden").fill("6");
    await press(page, "Termijn vaststellen", "bewaartermijn vastgesteld");
    assert.match(await page.locator("main").textContent(), /Vastgesteld door/);
    const dueLine = "Afgesloten dossiers waarvan de bewaartermijn is verstreken";
    const due = await waiting(page, dueLine);
    assert.ok(due >= 1, "the demo has cases whose retention period has passed");
    await follow(page, dueLine, "te beoordelen dossiers");
    await page.locator('main input[name="casussen"]').first().check();
    await page.getByLabel(/^Vernietigen/).check();
    await page.getByRole("button", { name: "Besluit vastleggen" }).click();
    await expectAccessible(page, "vernietigen zonder bevestiging");
    assert.match(await page.locator("main").textContent(), /niet ongedaan kan worden/);
    assert.equal(await page.locator('main input[name="casussen"]:checked').count(), 1, "the choice is kept");
    await page.getByLabel(/ik begrijp dat dit niet ongedaan kan worden/).check();
    await press(page, "Besluit vastleggen", "dossier vernietigd");
    assert.match(await page.locator("main").textContent(), /1 dossier: \d+ betrokkenen?/);
    assert.equal(await waiting(page, dueLine), due - 1);
    await context.close();
    ({ context, page } = await signIn(browser, "demo.auditor"));
    const refusals = "Geweigerde toegang in de afgelopen 7 dagen";
    await waiting(page, refusals);
    await follow(page, refusals, "geweigerde toegang in het auditlog");
    assert.match(page.url(), /actie=toegang-geweigerd/);
    await context.close();
  } finally {
    await browser.close();
  }
});
