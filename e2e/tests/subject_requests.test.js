// A data subject's request across joint controllers: the municipality registers an access
// request it received (the form names every mistake first), the request reaches the partners
// that supplied data about the person, the municipality extends the deadline with a reason, the
// police restricts with a ground, and the answer names each partner's decision in its own name,
// on the page and in the PDF to send.
// Zero axe violations and no codes on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { BASE, expectAccessible, launch, signIn } from "./helpers.js";

test("a municipality's access request is answered by every partner in its own name", async () => {
  const browser = await launch();
  try {
    let { context, page } = await signIn(browser, "demo.oost.gemeente");
    await page.getByRole("link", { name: "Verzoeken van betrokkenen", exact: true }).click();
    await expectAccessible(page, "verzoeken van betrokkenen");
    await page.getByRole("link", { name: "Verzoek registreren dat uw organisatie ontving" }).click();
    await expectAccessible(page, "verzoek registreren");
    await page.getByLabel("Soort verzoek").selectOption("inzage");
    await page.getByLabel("Nummer", { exact: true }).fill("999990019");
    await page.getByLabel("Naam", { exact: true }).fill("J.W. van den Heuvel");
    await page.getByLabel("Hoe is de identiteit vastgesteld").fill("Rijbewijs getoond aan de balie");
    await page.getByRole("button", { name: "Verzoek registreren" }).click();
    await expectAccessible(page, "verzoek registreren met een fout");
    assert.match(await page.locator("main").textContent(), /Stel eerst de identiteit van de verzoeker vast/);
    await page.getByLabel("De identiteit van de verzoeker is vastgesteld").check();
    await page.getByRole("button", { name: "Verzoek registreren" }).click();
    await page.waitForURL(/\/verzoeken-betrokkenen\/\d+/);
    await expectAccessible(page, "geregistreerd verzoek");
    const url = page.url().replace(/\?.*$/, "");
    const main = await page.locator("main").textContent();
    assert.match(main, /Nationale Politie/, "the police supplied data about the person");
    assert.doesNotMatch(main, /RIEC-bureau/, "the RIEC bureau is not asked");
    // The municipality's own position, and the deadline extended with a reason.
    await page.getByLabel("Standpunt", { exact: true }).selectOption("verstrekken");
    await page.getByRole("button", { name: "Standpunt vastleggen" }).click();
    await expectAccessible(page, "standpunt vastgelegd");
    await page.getByLabel("Verlengen met").selectOption("2");
    await page.getByRole("button", { name: "Termijn verlengen" }).click();
    await expectAccessible(page, "verlengen zonder reden");
    assert.match(await page.locator("main").textContent(), /Geef de reden van de verlenging/);
    await page.getByLabel("Reden").fill("Gegevens van meerdere partners in twee regio's");
    await page.getByRole("button", { name: "Termijn verlengen" }).click();
    assert.match(await page.locator("main").textContent(), /verlengd van/);
    await context.close();

    // The police finds it on Mijn werk and restricts with a ground.
    ({ context, page } = await signIn(browser, "demo.oost.politie"));
    await page.getByRole("link", { name: "Verzoeken van betrokkenen waarop uw organisatie moet reageren", exact: true }).click();
    await expectAccessible(page, "verzoeken voor de politie");
    await page.goto(url);
    await expectAccessible(page, "verzoek bij de politie");
    assert.equal(await page.locator("main table tbody tr").count(), 1, "a partner sees only its own line");
    await page.getByLabel("Standpunt", { exact: true }).selectOption("beperken");
    await page.getByLabel("Grond (bij beperken)").selectOption("lopend-onderzoek");
    await page.getByLabel("Toelichting").fill("Er loopt een strafrechtelijk onderzoek; verstrekking zou dat schaden.");
    await page.getByRole("button", { name: "Standpunt vastleggen" }).click();
    await expectAccessible(page, "politie beperkt");
    await context.close();

    // The answer, per partner in its own name.
    ({ context, page } = await signIn(browser, "demo.oost.gemeente"));
    await page.goto(`${url}/antwoord`);
    await expectAccessible(page, "antwoord");
    const answer = await page.locator("main").textContent();
    assert.match(answer, /Nationale Politie\s*Beperken met een grond — grond: Lopend onderzoek/);
    assert.match(answer, /Verstrekken of uitvoeren/);
    // The PDF to send, downloaded through the link and read back with poppler's pdftotext.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Antwoord downloaden als PDF" }).click()]);
    const file = await download.path();
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    assert.match(text, /Antwoord op uw verzoek VB-/);
    assert.match(text, /Nationale Politie\s*Beperken met een grond — grond: Lopend onderzoek/);
    assert.match(text, /Verstrekken of uitvoeren/);
    await context.close();
  } finally {
    await browser.close();
  }
});
