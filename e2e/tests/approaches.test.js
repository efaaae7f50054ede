// Journey of a landelijke aanpak: the LIEC coordinator opens a national approach and asks a
// Rotterdam case and a Noord-Nederland case to join; Rotterdam's analyst agrees, Noord-Nederland's
// refuses (a refusal without a reason gets a Dutch error first); the LIEC adds an action and
// records progress; a RIEC analyst of a third region sees nothing (404). Zero axe violations on
// every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

const ROTTERDAM_CASE = "Vastgoedtransacties via een holding in Rotterdam-Zuid";
const NOORD_CASE = "Opkoop van panden in de Groningse binnenstad";

/** The kenmerk of a case from the case list of a user who may see it. */
async function referenceOf(page, title) {
  await page.goto(`${BASE}/casussen`);
  const row = page.locator("tr", { has: page.getByRole("link", { name: title, exact: true }) });
  const reference = (await row.locator("td").first().textContent()).trim();
  assert.ok(reference.length > 3, `no reference for ${title}`);
  return reference;
}

test("a national approach links cases of two regions with their owners' consent", async () => {
  const browser = await launch();
  const tag = Date.now().toString(36).slice(-4);
  const title = `Chapter Noord van een motorclub ${tag}`;
  try {
    const rdam = await signIn(browser, "demo.rotterdam.analist");
    const noord = await signIn(browser, "demo.noord.analist");
    const rdamRef = await referenceOf(rdam.page, ROTTERDAM_CASE);
    const noordRef = await referenceOf(noord.page, NOORD_CASE);

    // 1. The LIEC opens the approach; an empty form gets Dutch errors first.
    const liec = await signIn(browser, "demo.liec");
    await liec.page.goto(`${BASE}/landelijke-aanpakken`);
    await expectAccessible(liec.page, "landelijke aanpak (LIEC)");
    await liec.page.getByRole("button", { name: "Aanpak openen" }).click();
    await liec.page.waitForLoadState();
    assert.match(await liec.page.locator("main").textContent(), /Vul de titel in\./);
    await expectAccessible(liec.page, "landelijke aanpak openen met fouten");
    await liec.page.getByLabel("Titel").fill(title);
    await liec.page.getByLabel("Omschrijving").fill("Vastgoed en horeca rond het chapter, in twee regio's.");
    await liec.page.getByRole("button", { name: "Aanpak openen" }).click();
    await liec.page.waitForLoadState();
    const approachUrl = liec.page.url().split("?")[0];
    assert.match(approachUrl, /\/landelijke-aanpakken\/\d+$/);
    await expectAccessible(liec.page, "landelijke aanpak");

    // 2. The LIEC asks both cases by their kenmerk.
    for (const reference of [rdamRef, noordRef]) {
      await liec.page.getByLabel("Kenmerk van de casus").fill(reference);
      await liec.page.getByRole("button", { name: "Casus vragen" }).click();
      await liec.page.waitForLoadState();
    }
    let text = await liec.page.locator("main").textContent();
    assert.match(text, new RegExp(rdamRef));
    assert.match(text, new RegExp(noordRef));

    // 3. Rotterdam agrees to let its case join.
    await rdam.page.goto(approachUrl);
    await expectAccessible(rdam.page, "landelijke aanpak (Rotterdam)");
    assert.doesNotMatch(await rdam.page.locator("main").textContent(), new RegExp(noordRef), "Rotterdam does not see Noord-Nederland's request");
    await rdam.page.getByRole("button", { name: "Akkoord: casus neemt deel" }).click();
    await rdam.page.waitForLoadState();
    assert.match(await rdam.page.locator("main").textContent(), /Uw besluit over deelname van de casus is vastgelegd/);

    // 4. Noord-Nederland refuses: first without a reason (Dutch error), then with one.
    await noord.page.goto(approachUrl);
    await noord.page.getByRole("button", { name: "Weigeren" }).click();
    await noord.page.waitForLoadState();
    assert.match(await noord.page.locator("main").textContent(), /Geef een reden voor de weigering\./);
    await expectAccessible(noord.page, "besluit met fout (Noord-Nederland)");
    await noord.page.getByLabel("Reden (verplicht bij weigeren)").fill("Lopend strafrechtelijk onderzoek; later opnieuw.");
    await noord.page.getByRole("button", { name: "Weigeren" }).click();
    await noord.page.waitForLoadState();
    text = await noord.page.locator("main").textContent();
    assert.match(text, new RegExp(rdamRef), "Noord-Nederland sees the joined Rotterdam case");
    assert.doesNotMatch(text, /Rotterdam-Zuid/, "but not its contents");

    // 5. The LIEC adds an action and records progress; the figures follow.
    await liec.page.goto(approachUrl);
    await liec.page.getByLabel("Actie", { exact: true }).fill("Vergunningen horeca naast het clubhuis toetsen (Bibob)");
    await liec.page.getByLabel("Eigenaar").fill("Gemeente Rotterdam");
    await liec.page.getByRole("button", { name: "Actie toevoegen" }).click();
    await liec.page.waitForLoadState();
    await liec.page.getByLabel("Voortgang", { exact: true }).fill("Rotterdam neemt deel; Noord-Nederland later.");
    await liec.page.getByRole("button", { name: "Voortgang opslaan" }).click();
    await liec.page.waitForLoadState();
    text = await liec.page.locator("main").textContent();
    assert.match(text, /1 uit 1 regio's/);
    assert.match(text, /1 open, 0 gereed/);
    await expectAccessible(liec.page, "landelijke aanpak na voortgang");

    // 6. A third region learns nothing.
    const limburg = await signIn(browser, "demo.limburg.analist");
    await limburg.page.goto(`${BASE}/landelijke-aanpakken`);
    assert.doesNotMatch(await limburg.page.locator("main").textContent(), new RegExp(title));
    const response = await limburg.page.goto(approachUrl);
    assert.equal(response.status(), 404);
  } finally {
    await browser.close();
  }
});
