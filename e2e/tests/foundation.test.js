// Journey of the foundation: sign in with a second factor, the start page, network
// administration, creating a user (with a mistake first), signing out. Zero axe violations at
// WCAG 2.1 AA on every page on the way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, DEMO_PASSWORD, DEMO_TOTP_SECRET, expectAccessible, launch, totp } from "./helpers.js";

test("beheerder logs in with a second factor, administers the network, creates a user and logs out", async () => {
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${BASE}/`);
    assert.match(page.url(), /\/inloggen/);
    assert.equal(await page.locator("h1").textContent(), "Inloggen");
    assert.match(await page.locator(".kp-demo").textContent(), /Demonstratie-omgeving/);
    await expectAccessible(page, "inloggen");

    // A wrong password first: a clear Dutch message, linked from the error summary.
    await page.getByLabel("Gebruikersnaam").fill("demo.beheerder");
    await page.getByLabel("Wachtwoord").fill("niet-het-goede-wachtwoord");
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.waitForLoadState();
    assert.match(await page.locator("#foutmeldingen").textContent(), /Gebruikersnaam of wachtwoord is onjuist/);
    await expectAccessible(page, "inloggen met fout");

    await page.getByLabel("Gebruikersnaam").fill("demo.beheerder");
    await page.getByLabel("Wachtwoord").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.waitForURL(/\/inloggen\/tweede-factor/);
    await expectAccessible(page, "tweede factor");
    await page.getByLabel("Code").fill(totp(DEMO_TOTP_SECRET));
    await page.getByRole("button", { name: "Bevestigen" }).click();
    await page.waitForURL(`${BASE}/`);
    assert.equal(await page.locator("h1").textContent(), "Mijn werk");
    await expectAccessible(page, "mijn werk");

    // Network administration.
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Netwerk" }).click();
    await page.waitForURL(/\/netwerk\/regios$/);
    assert.equal(await page.locator("h1").textContent(), "Regio's");
    await expectAccessible(page, "regio's");
    await page.getByRole("link", { name: "RIEC Limburg", exact: true }).click();
    await page.waitForURL(/\/netwerk\/regios\/limburg/);
    assert.match(await page.locator("body").textContent(), /Maastricht/);
    await expectAccessible(page, "regio Limburg");
    await page.goto(`${BASE}/netwerk/gemeenten?regio=limburg`);
    await expectAccessible(page, "gemeenten");
    await page.getByRole("link", { name: "Maastricht", exact: true }).click();
    await page.waitForURL(/GM0935/);
    await expectAccessible(page, "gemeente Maastricht");
    await page.goto(`${BASE}/netwerk/organisaties`);
    await expectAccessible(page, "organisaties");

    // Create a user: first without the required fields, then right.
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Gebruikers" }).click();
    await page.waitForURL(/\/beheer\/gebruikers$/);
    await expectAccessible(page, "gebruikers");
    await page.getByRole("link", { name: "Gebruiker toevoegen" }).click();
    await page.waitForURL(/\/beheer\/gebruikers\/nieuw/);
    await expectAccessible(page, "nieuwe gebruiker");
    await page.getByRole("button", { name: "Gebruiker toevoegen" }).click();
    await page.waitForLoadState();
    const summary = await page.locator("#foutmeldingen").textContent();
    assert.match(summary, /Een gebruikersnaam heeft 3 tot 64 tekens/);
    assert.match(summary, /Kies de organisatie van deze gebruiker/);
    await expectAccessible(page, "nieuwe gebruiker met fouten");
    const username = `e2e.${Date.now().toString(36)}`;
    await page.getByLabel("Gebruikersnaam").fill(username);
    await page.getByLabel("Naam", { exact: true }).fill("Eva van der Eerde");
    await page.getByLabel("E-mailadres").fill(`${username}@gemeente-venlo.example`);
    await page.getByLabel("Organisatie").selectOption({ label: "Gemeente Venlo" });
    await page.getByLabel("Eerste wachtwoord").fill("Een-Lang-Wachtwoord-2026");
    await page.getByLabel("Rol", { exact: true }).selectOption("partner-medewerker");
    await page.getByLabel("Regio van de rol (bij regionale rollen)").selectOption("limburg");
    await page.getByRole("button", { name: "Gebruiker toevoegen" }).click();
    await page.waitForURL(/\/beheer\/gebruikers\/\d+/);
    assert.equal(await page.locator("h1").textContent(), "Eva van der Eerde");
    assert.match(await page.locator("main").textContent(), /De gebruiker is toegevoegd/);
    await expectAccessible(page, "gebruiker");

    await page.goto(`${BASE}/beheer/api-tokens`);
    await expectAccessible(page, "api-tokens");
    await page.goto(`${BASE}/account`);
    await expectAccessible(page, "mijn account");

    await page.getByRole("button", { name: "Uitloggen" }).click();
    await page.waitForURL(/\/inloggen\?melding=uitgelogd/);
    assert.match(await page.locator("main").textContent(), /U bent uitgelogd/);
    await expectAccessible(page, "uitgelogd");
    await page.goto(`${BASE}/beheer/gebruikers`);
    assert.match(page.url(), /\/inloggen/);
  } finally {
    await browser.close();
  }
});

test("the auditor reads the audit log and checks the chain", async () => {
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${BASE}/inloggen`);
    await page.getByLabel("Gebruikersnaam").fill("demo.auditor");
    await page.getByLabel("Wachtwoord").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.waitForURL(`${BASE}/`);
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Auditlog" }).click();
    await page.waitForURL(/\/audit/);
    await expectAccessible(page, "auditlog");
    await page.getByRole("button", { name: "Keten controleren" }).click();
    await page.waitForLoadState();
    assert.match(await page.locator("main").textContent(), /De keten is in orde/);
    await expectAccessible(page, "auditlog na controle");
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Verwerkingenlogboek" }).click();
    await page.waitForURL(/\/verwerkingen/);
    assert.match(await page.locator("main").textContent(), /Beheer van gebruikersaccounts/);
    await expectAccessible(page, "verwerkingenlogboek");
  } finally {
    await browser.close();
  }
});
