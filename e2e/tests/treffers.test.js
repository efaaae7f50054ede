// Journey of a hit between regions (hit/no-hit): a company is added to a Rotterdam case and a
// variant spelling of it to a Noord-Nederland case; the background matcher reports a hit to
// both case teams without showing the other side's values; both agree to share; the cases are
// linked; a RIEC analyst of a third region sees nothing (404). Zero axe violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

const ROTTERDAM_CASE = "Vastgoedtransacties via een holding in Rotterdam-Zuid";
const NOORD_CASE = "Opkoop van panden in de Groningse binnenstad";

async function addCompany(page, caseTitle, name, form, postcode, number) {
  await page.goto(`${BASE}/casussen`);
  await page.getByRole("link", { name: caseTitle, exact: true }).click();
  await page.waitForLoadState();
  const caseUrl = page.url().split("?")[0];
  await page.getByRole("link", { name: "Betrokkene toevoegen", exact: true }).click();
  await page.waitForLoadState();
  await expectAccessible(page, `betrokkene toevoegen (${caseTitle})`);
  await page.getByLabel("Soort").selectOption("rechtspersoon");
  await page.getByLabel("Naam", { exact: true }).fill(name);
  await page.getByLabel("Rechtsvorm").fill(form);
  await page.getByLabel("Postcode").fill(postcode);
  await page.getByLabel("Huisnummer met toevoeging").fill(number);
  await page.getByRole("button", { name: "Toevoegen", exact: true }).click();
  await page.waitForLoadState();
  assert.match(await page.locator("main").textContent(), new RegExp(name.replace(/[.]/g, "\\.")));
  return caseUrl;
}

/** Reloads the hit list until a row for `subject` appears (the matcher runs every 2 s). */
async function waitForHit(page, subject) {
  for (let i = 0; i < 30; i++) {
    await page.goto(`${BASE}/treffers`);
    const link = page.getByRole("link", { name: subject, exact: true });
    if (await link.count()) return link;
    await page.waitForTimeout(1000);
  }
  assert.fail(`no hit for ${subject} after 30 s`);
}

test("a company in two regions: hit on both sides, shared after both agree, invisible to a third region", async () => {
  const browser = await launch();
  const tag = Date.now().toString(36).slice(-4).replace(/[0-9]/g, (d) => "abcdefghij"[d]);
  const rotterdamName = `Bouwbedrijf Van den Heuvel ${tag}`;
  const noordName = `Bouwbedrijf v.d. Heuvel ${tag}`;
  try {
    // 1. Each region adds the company to its own case, spelled its own way.
    const rdam = await signIn(browser, "demo.rotterdam.analist");
    const rdamCase = await addCompany(rdam.page, ROTTERDAM_CASE, rotterdamName, "B.V.", "3011 AB", "12");
    const noord = await signIn(browser, "demo.noord.analist");
    const noordCase = await addCompany(noord.page, NOORD_CASE, noordName, "BV", "3011ab", "12");

    // 2. Rotterdam sees a hit with its own subject, the other region and the agreeing fields.
    let link = await waitForHit(rdam.page, `${rotterdamName} B.V.`);
    await expectAccessible(rdam.page, "treffers (Rotterdam)");
    assert.doesNotMatch(await rdam.page.locator("main").textContent(), /v\.d\. Heuvel/);
    await link.click();
    await rdam.page.waitForLoadState();
    await expectAccessible(rdam.page, "treffer (Rotterdam)");
    let text = await rdam.page.locator("main").textContent();
    assert.match(text, /Treffer met RIEC Noord-Nederland/);
    assert.match(text, /bedrijfsnaam/);
    assert.match(text, /postcode en huisnummer/);
    assert.doesNotMatch(text, /v\.d\. Heuvel|3011ab|Groningse binnenstad/);
    const hitUrl = rdam.page.url().split("?")[0];
    // Refusing without a reason is refused with a Dutch message.
    await rdam.page.getByRole("button", { name: "Weigeren", exact: true }).click();
    await rdam.page.waitForLoadState();
    assert.match(await rdam.page.locator("#foutmeldingen").textContent(), /Geef de reden waarom u niet deelt/);
    await expectAccessible(rdam.page, "treffer met fout");
    // Rotterdam agrees, which asks Noord-Nederland.
    await rdam.page.getByRole("button", { name: "Akkoord met delen", exact: true }).click();
    await rdam.page.waitForLoadState();
    assert.match(await rdam.page.locator("main").textContent(), /Zodra de andere regio ook akkoord geeft/);

    // 3. Noord-Nederland sees the mirror image, and Rotterdam's consent; it agrees too.
    link = await waitForHit(noord.page, `${noordName} BV`);
    await link.click();
    await noord.page.waitForLoadState();
    await expectAccessible(noord.page, "treffer (Noord-Nederland)");
    text = await noord.page.locator("main").textContent();
    assert.match(text, /Treffer met RIEC Rotterdam/);
    assert.match(text, /RIEC Rotterdam: akkoord met delen/);
    assert.doesNotMatch(text, /Van den Heuvel|Rotterdam-Zuid/);
    await noord.page.getByRole("button", { name: "Akkoord met delen", exact: true }).click();
    await noord.page.waitForLoadState();
    text = await noord.page.locator("main").textContent();
    assert.match(text, /de gegevens zijn gedeeld en de casussen zijn gekoppeld/);
    assert.match(text, new RegExp(`${rotterdamName} B\\.V\\.`));
    await expectAccessible(noord.page, "gedeelde treffer");

    // 4. Both cases show the link; Rotterdam now sees Noord-Nederland's subject.
    await noord.page.goto(noordCase);
    assert.match(await noord.page.locator("main").textContent(), /Gekoppelde casussen in andere regio's/);
    await expectAccessible(noord.page, "gekoppelde casus");
    await rdam.page.goto(rdamCase);
    assert.match(await rdam.page.locator("main").textContent(), /Gekoppelde casussen in andere regio's/);
    await rdam.page.goto(hitUrl);
    assert.match(await rdam.page.locator("main").textContent(), new RegExp(`${noordName} BV`.replace(/[.]/g, "\\.")));
    // 5. Rotterdam screens a list of permit applicants against its own cases.
    await rdam.page.goto(`${BASE}/casussen/screenen`);
    await expectAccessible(rdam.page, "lijst screenen");
    await rdam.page.getByLabel("Lijst (CSV met kopregel)").fill(`nr;naam;postcode;huisnummer\n1;${rotterdamName} BV;3011 AB;12\n2;Onbekend Bedrijf BV;1011 AA;1\n`);
    await rdam.page.getByLabel("Koppeling van kolommen").fill("id=nr,company_name=naam,postcode=postcode,house_number=huisnummer");
    await rdam.page.getByRole("button", { name: "Screenen", exact: true }).click();
    await rdam.page.waitForLoadState();
    text = await rdam.page.locator("main").textContent();
    assert.match(text, /2 rijen gelezen/);
    assert.match(text, new RegExp(`${rotterdamName} B\\.V\\.`));
    await expectAccessible(rdam.page, "lijst gescreend");
    await rdam.context.close();
    await noord.context.close();

    // 6. A RIEC analyst of a third region sees nothing: no row, and 404 on the hit itself.
    const limburg = await signIn(browser, "demo.limburg.analist");
    await limburg.page.goto(`${BASE}/treffers`);
    assert.doesNotMatch(await limburg.page.locator("main").textContent(), /Heuvel/);
    await expectAccessible(limburg.page, "treffers (derde regio)");
    const response = await limburg.page.goto(hitUrl);
    assert.equal(response.status(), 404);
    await expectAccessible(limburg.page, "treffer niet gevonden");
    await limburg.context.close();
  } finally {
    await browser.close();
  }
});
