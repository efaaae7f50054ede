// The network's figures and the annual report: a RIEC analyst reads the figures of a year (chart
// and table, hidden values marked) and a definition; a partner gets no live figures; the LIEC
// reviews the draft of 2025, is told a foreword is missing, adopts it; the adopted report is
// public, and its PDF holds the text and renders to pages with ink on them. Zero axe violations
// on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

test("figures for a year, and the LIEC adopts the annual report", async () => {
  const browser = await launch();
  try {
    // 1. An analyst opens the figures from the menu and picks 2025.
    const analyst = await signIn(browser, "demo.oost.analist");
    await analyst.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Cijfers" }).click();
    await analyst.page.waitForLoadState();
    await analyst.page.getByLabel("Jaar").selectOption("2025");
    await analyst.page.getByRole("button", { name: "Tonen" }).click();
    await analyst.page.waitForLoadState();
    assert.match(await analyst.page.locator("h1").textContent(), /Cijfers 2025/);
    const table = analyst.page.getByRole("table", { name: /Signalen naar aanbrenger, 2025/ });
    assert.match(await table.textContent(), /Nederland/);
    assert.ok(await analyst.page.locator("svg[role=img] title", { hasText: "Signalen naar aanbrenger" }).count() > 0, "no chart");
    await expectAccessible(analyst.page, "cijfers 2025");
    await analyst.page.getByRole("link", { name: "Zo tellen we dit" }).first().click();
    await analyst.page.waitForLoadState();
    assert.match(await analyst.page.locator("main").textContent(), /Telregel/);
    await expectAccessible(analyst.page, "definitie");

    // 2. A partner has no live figures.
    const partner = await signIn(browser, "demo.oost.gemeente");
    const refused = await partner.page.goto(`${BASE}/cijfers`);
    assert.equal(refused.status(), 403);

    // 3. The LIEC reviews the draft of 2025; adopting without a foreword is refused in Dutch.
    const liec = await signIn(browser, "demo.liec");
    await liec.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Jaarverslag" }).click();
    await liec.page.waitForLoadState();
    await expectAccessible(liec.page, "jaarverslagen (LIEC)");
    await liec.page.getByRole("link", { name: "Concept jaarverslag 2025" }).click();
    await liec.page.waitForLoadState();
    await expectAccessible(liec.page, "concept jaarverslag 2025");
    await liec.page.getByRole("button", { name: "Jaarverslag 2025 vaststellen" }).click();
    await liec.page.waitForLoadState();
    assert.match(await liec.page.locator("main").textContent(), /Schrijf een voorwoord bij het jaarverslag\./);
    await expectAccessible(liec.page, "concept jaarverslag met fout");
    await liec.page.getByLabel("Voorwoord").fill("In 2025 werkten de partners in alle regio's samen tegen ondermijning.\n\nDank aan iedereen die signalen aanbracht.");
    await liec.page.getByRole("button", { name: "Jaarverslag 2025 vaststellen" }).click();
    await liec.page.waitForLoadState();
    assert.match(liec.page.url(), /\/jaarverslag\/2025$/);
    assert.match(await liec.page.locator("main").textContent(), /Vastgesteld door het LIEC op/);
    await expectAccessible(liec.page, "jaarverslag 2025");

    // 4. Public: the report without signing in, and its PDF.
    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    const shown = await page.goto(`${BASE}/jaarverslag/2025`);
    assert.equal(shown.status(), 200);
    assert.match(await page.locator("main").textContent(), /Dank aan iedereen die signalen aanbracht\./);
    await expectAccessible(page, "jaarverslag 2025 (openbaar)");
    const pdf = await visitor.request.get(`${BASE}/jaarverslag/2025/jaarverslag.pdf`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()["content-type"], "application/pdf");
    const dir = mkdtempSync(join(tmpdir(), "jaarverslag-"));
    try {
      const file = join(dir, "jaarverslag.pdf");
      writeFileSync(file, await pdf.body());
      const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString();
      for (const expected of ["Jaarverslag RIEC-LIEC 2025", "Voorwoord", "Signalen naar aanbrenger", "Nederland", "Interventies naar soort"]) {
        assert.ok(text.includes(expected), `PDF lacks "${expected}"`);
      }
      // Every page renders to an image with ink on it (not blank).
      execFileSync("pdftoppm", ["-png", "-r", "40", file, join(dir, "pagina")]);
      const pages = readdirSync(dir).filter((f) => f.startsWith("pagina") && f.endsWith(".png"));
      assert.ok(pages.length >= 2, `expected several pages, got ${pages.length}`);
      for (const p of pages) {
        assert.ok(readFileSync(join(dir, p)).length > 2000, `page ${p} looks empty`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await visitor.close();
  } finally {
    await browser.close();
  }
});

test("a steering group member sees the dashboard and nothing of a case", async () => {
  const browser = await launch();
  try {
    const sg = await signIn(browser, "demo.oost.stuurgroep");
    await sg.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Stuurgroep" }).click();
    await sg.page.waitForLoadState();
    assert.match(await sg.page.locator("h1").textContent(), /Stuurgroep RIEC Oost-Brabant/);
    await expectAccessible(sg.page, "stuurgroep");
    // A decision without its date and text is refused in Dutch, then recorded.
    await sg.page.getByRole("button", { name: "Besluit vastleggen" }).click();
    await sg.page.waitForLoadState();
    assert.match(await sg.page.locator("main").textContent(), /Geef de datum van het besluit\./);
    await expectAccessible(sg.page, "stuurgroep met fouten");
    await sg.page.getByLabel("Datum van het besluit").fill("2026-11-30");
    await sg.page.getByLabel("Besluit", { exact: true }).fill("Het RIEC agendeert de vastgelopen interventies opnieuw.");
    await sg.page.getByRole("button", { name: "Besluit vastleggen" }).click();
    await sg.page.waitForLoadState();
    assert.match(await sg.page.locator("main").textContent(), /Het RIEC agendeert de vastgelopen interventies opnieuw\./);
    // A bottleneck: raised, then passed on to the Stuurgroep LIEC on its own page.
    await sg.page.getByLabel("Waar gaat het over?").selectOption({ label: "Informatiedeling" });
    const mine = "Woningcorporaties mogen huurgegevens niet delen met het RIEC.";
    await sg.page.getByLabel("Knelpunt", { exact: true }).fill(mine);
    await sg.page.getByRole("button", { name: "Knelpunt melden" }).click();
    await sg.page.waitForLoadState();
    assert.match(await sg.page.locator("main").textContent(), /Het knelpunt staat in de lijst\./);
    await sg.page.locator('section[aria-labelledby="knelpunten"] tr', { hasText: mine }).getByRole("link", { name: /Bijwerken/ }).click();
    await sg.page.waitForLoadState();
    await expectAccessible(sg.page, "knelpunt bijwerken");
    await sg.page.getByLabel(/Doorzetten naar de Stuurgroep LIEC/).check();
    await sg.page.getByRole("button", { name: "Opslaan" }).click();
    await sg.page.waitForLoadState();
    assert.match(await sg.page.locator('section[aria-labelledby="knelpunten"] tr', { hasText: mine }).textContent(), /Doorgezet naar de Stuurgroep LIEC op/);
    const pack = await sg.context.request.get(`${BASE}/stuurgroep/vergaderstuk.pdf`);
    assert.equal(pack.status(), 200);
    // Any case is "not found" for the steering group.
    for (const id of [1, 2, 50]) {
      const r = await sg.page.goto(`${BASE}/casussen/${id}`);
      assert.equal(r.status(), 404, `case ${id}`);
    }
  } finally {
    await browser.close();
  }
});
