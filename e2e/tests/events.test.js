// Events: an analyst registers for the full Bibob masterclass and lands on the waiting list; a
// legal adviser with a place cancels; the analyst has moved up at once and is told by the bell.
// The organiser reads the attendee list and downloads it; a new event without its fields is
// refused in Dutch. A visitor who did not sign in sees the public theme afternoon, not the
// network's masterclass. Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn, unread } from "./helpers.js";

const MASTERCLASS = "Masterclass Bibob voor gemeenten";

async function openMasterclass(page) {
  await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Bijeenkomsten" }).click();
  await page.waitForLoadState();
  await page.getByRole("link", { name: MASTERCLASS }).click();
  await page.waitForLoadState();
}

test("a user registers for a full event, waits, and moves up when someone cancels", async () => {
  const browser = await launch();
  try {
    // 1. The analyst finds the masterclass full and joins the waiting list.
    const analyst = await signIn(browser, "demo.oost.analist");
    await openMasterclass(analyst.page);
    assert.match(await analyst.page.locator("main").textContent(), /Vol/);
    await expectAccessible(analyst.page, "bijeenkomst vol");
    const before = await unread(analyst.page);
    await analyst.page.getByRole("button", { name: "Aanmelden voor de wachtlijst" }).click();
    await analyst.page.waitForURL(/melding=wachtlijst/);
    assert.match(await analyst.page.locator("main").textContent(), /U staat op de wachtlijst, als nummer 1/);
    await expectAccessible(analyst.page, "bijeenkomst wachtlijst");
    const eventUrl = analyst.page.url().replace(/\?.*$/, "");

    // 2. A legal adviser with a place cancels.
    const jurist = await signIn(browser, "demo.amsterdam.jurist");
    await jurist.page.goto(eventUrl);
    assert.match(await jurist.page.locator("main").textContent(), /U bent aangemeld/);
    await jurist.page.getByRole("button", { name: "Afmelden" }).click();
    await jurist.page.waitForURL(/melding=afgemeld/);
    assert.match(await jurist.page.locator("main").textContent(), /U bent afgemeld/);

    // 3. The analyst has the place, and the bell says so.
    await analyst.page.goto(eventUrl);
    assert.match(await analyst.page.locator("main").textContent(), /van de wachtlijst geplaatst/);
    assert.ok((await unread(analyst.page)) > before, "the bell counts the moved-up place");
    await expectAccessible(analyst.page, "bijeenkomst geplaatst");

    // 4. The organiser reads the attendee list and downloads it.
    const liec = await signIn(browser, "demo.kennis");
    await liec.page.goto(eventUrl);
    await liec.page.getByRole("link", { name: "Deelnemerslijst", exact: true }).click();
    await liec.page.waitForLoadState();
    const list = await liec.page.locator("main table").textContent();
    assert.match(list, /Daan van Dijk/);
    assert.match(list, /van de wachtlijst geplaatst/);
    assert.match(list, /Afgemeld/);
    await expectAccessible(liec.page, "deelnemerslijst");
    const csv = await liec.page.request.get(`${eventUrl}/deelnemers.csv`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()["content-type"], /text\/csv/);
    assert.match(await csv.text(), /Daan van Dijk/);

    // 5. A new event without its fields is refused in Dutch.
    await liec.page.goto(`${BASE}/bijeenkomsten/nieuw`);
    await expectAccessible(liec.page, "nieuwe bijeenkomst");
    await liec.page.getByRole("button", { name: "Bijeenkomst aanmaken" }).click();
    await liec.page.waitForLoadState();
    const errors = await liec.page.locator("main").textContent();
    assert.match(errors, /Kies de soort bijeenkomst/);
    assert.match(errors, /Vul de datum van de bijeenkomst in/);
    await expectAccessible(liec.page, "nieuwe bijeenkomst met fouten");

    // 6. A visitor sees the public theme afternoon, not the network's masterclass.
    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    await page.goto(`${BASE}/bijeenkomsten`);
    const text = await page.locator("main").textContent();
    assert.match(text, /Themamiddag ondermijning in het buitengebied/);
    assert.doesNotMatch(text, new RegExp(MASTERCLASS));
    await expectAccessible(page, "bijeenkomsten zonder inloggen");
    await page.getByRole("link", { name: "Themamiddag ondermijning in het buitengebied" }).click();
    await page.waitForLoadState();
    assert.match(await page.locator("main").textContent(), /Log in om u aan te melden/);
    const hidden = await page.goto(eventUrl);
    assert.equal(hidden.status(), 404);
  } finally {
    await browser.close();
  }
});
