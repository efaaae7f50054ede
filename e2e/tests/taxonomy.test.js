// The phenomenon taxonomy: a partner reads the phenomena, settings and regions' focus lists
// without maintenance links; the LIEC adds a phenomenon (told in Dutch what is missing first)
// and finds it in its cluster; the RIEC manager of Oost-Brabant sets the region's focus list.
// The LIEC writes a new version of an intervention sheet; a partner reads it and its history.
// Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

test("the LIEC maintains the phenomena and a RIEC manager sets the region's focus", async () => {
  const browser = await launch();
  try {
    // 1. A municipal partner reads the taxonomy from the menu; nothing to maintain.
    const partner = await signIn(browser, "demo.oost.gemeente");
    await partner.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Fenomenen" }).click();
    await partner.page.waitForLoadState();
    assert.match(await partner.page.locator("h1").textContent(), /Fenomenen en omgevingen/);
    assert.match(await partner.page.getByRole("table", { name: "Fenomenen van Drugscriminaliteit" }).textContent(), /Georganiseerde hennepteelt/);
    assert.equal(await partner.page.getByRole("link", { name: "Fenomeen toevoegen" }).count(), 0);
    await expectAccessible(partner.page, "fenomenen (partner)");

    // 2. The LIEC adds a phenomenon; without a name and cluster it is told what is missing.
    const liec = await signIn(browser, "demo.liec");
    await liec.page.goto(`${BASE}/fenomenen`);
    await liec.page.getByRole("link", { name: "Fenomeen toevoegen" }).click();
    await liec.page.waitForLoadState();
    await liec.page.getByRole("button", { name: "Opslaan" }).click();
    await liec.page.waitForLoadState();
    const summary = await liec.page.locator("main").textContent();
    assert.match(summary, /Geef de Nederlandse naam\./);
    assert.match(summary, /Kies het cluster waar het fenomeen onder valt\./);
    await expectAccessible(liec.page, "fenomeen toevoegen met fouten");
    await liec.page.getByLabel("Naam", { exact: true }).fill("Ondermijning in de jachthavens");
    await liec.page.getByLabel("Cluster").selectOption({ label: "Gebiedsgebonden ondermijning" });
    await liec.page.getByLabel("Ook gezocht als (niet verplicht)").fill("jachthaven; marina");
    await liec.page.getByRole("button", { name: "Opslaan" }).click();
    await liec.page.waitForURL(/\/fenomenen\?melding=opgeslagen/);
    assert.match(await liec.page.getByRole("table", { name: "Fenomenen van Gebiedsgebonden ondermijning" }).textContent(), /Ondermijning in de jachthavens.*jachthaven, marina/s);
    await expectAccessible(liec.page, "fenomenen (LIEC)");

    // 3. The RIEC manager of Oost-Brabant sets the region's focus list.
    const manager = await signIn(browser, "demo.oost.manager");
    await manager.page.goto(`${BASE}/fenomenen#speerpunten`);
    await manager.page.getByRole("link", { name: /speerpunten van RIEC Oost-Brabant/ }).click();
    await manager.page.waitForLoadState();
    await expectAccessible(manager.page, "speerpunten");
    await manager.page.getByLabel("Ondermijning in de jachthavens").check();
    await manager.page.getByRole("button", { name: "Vaststellen" }).click();
    await manager.page.waitForURL(/\/fenomenen\?melding=speerpunten/);
    const row = manager.page.getByRole("row", { name: /RIEC Oost-Brabant/ });
    assert.match(await row.textContent(), /Ondermijning in de jachthavens/);
    assert.equal(await manager.page.getByRole("link", { name: /speerpunten van RIEC Limburg/ }).count(), 0);
  } finally {
    await browser.close();
  }
});

test("the LIEC writes a new version of an intervention sheet and a partner reads it", async () => {
  const browser = await launch();
  try {
    const liec = await signIn(browser, "demo.liec");
    await liec.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Interventies" }).click();
    await liec.page.waitForLoadState();
    await expectAccessible(liec.page, "interventies");
    await liec.page.getByRole("link", { name: /Pand sluiten op grond van art\. 13b Opiumwet/ }).click();
    await liec.page.waitForLoadState();
    assert.match(await liec.page.locator("main").textContent(), /Opiumwet, art\. 13b/);
    await expectAccessible(liec.page, "interventieblad (LIEC)");
    // Without saying what changes, the LIEC is told in Dutch.
    await liec.page.getByLabel("Jurisprudentie (niet verplicht)").fill("ECLI:NL:RVS:2022:1389; ECLI:NL:RVS:2025:77 (sluiting na eerste vondst)");
    await liec.page.getByRole("button", { name: "Nieuwe versie opslaan" }).click();
    await liec.page.waitForLoadState();
    assert.match(await liec.page.locator("main").textContent(), /Zeg kort wat u verandert\./);
    await expectAccessible(liec.page, "interventieblad met fout");
    await liec.page.getByLabel("Wat verandert u?").fill("Uitspraak 2025 toegevoegd");
    await liec.page.getByRole("button", { name: "Nieuwe versie opslaan" }).click();
    await liec.page.waitForURL(/melding=opgeslagen/);

    const partner = await signIn(browser, "demo.oost.politie");
    await partner.page.goto(`${BASE}/interventies/13b-opiumwet`);
    const main = await partner.page.locator("main").textContent();
    assert.match(main, /ECLI:NL:RVS:2025:77/);
    assert.match(main, /Uitspraak 2025 toegevoegd/);
    assert.equal(await partner.page.getByRole("button", { name: "Nieuwe versie opslaan" }).count(), 0);
    await partner.page.getByRole("link", { name: "Versie 1" }).click();
    await partner.page.waitForLoadState();
    assert.match(await partner.page.locator("main").textContent(), /Dit is een eerdere versie/);
    await expectAccessible(partner.page, "eerdere versie van een interventieblad");
  } finally {
    await browser.close();
  }
});
