// The knowledge platform: a visitor reads the public items without signing in; the knowledge
// editor writes a guide (told in Dutch what is missing first) and offers it for review; the LIEC
// coordinator publishes it; a municipal partner finds it; the bank association's member (no
// role) reads the public items and those of its phenomenon table, nothing else. Zero axe
// violations on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, expectAccessible, launch, signIn, workCount } from "./helpers.js";

test("an editor writes, the LIEC publishes, each audience reads its own knowledge", async () => {
  const browser = await launch();
  try {
    // 1. A visitor reads the public part, without forms.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${BASE}/kennis`);
    assert.match(await visitor.locator("h1").textContent(), /Kennis/);
    assert.match(await visitor.locator("main").textContent(), /U ziet het openbare deel/);
    assert.equal(await visitor.getByRole("link", { name: "Nieuw kennisitem schrijven" }).count(), 0);
    const publicCount = await visitor.locator(".kp-knowledge-list > li").count();
    assert.ok(publicCount > 0);
    await expectAccessible(visitor, "kennis (bezoeker)");

    // 2. The editor writes a guide; without a title and summary she is told what is missing.
    const editor = await signIn(browser, "demo.kennis");
    await editor.page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Kennis" }).click();
    await editor.page.getByRole("link", { name: "Nieuw kennisitem schrijven" }).click();
    await editor.page.waitForLoadState();
    await expectAccessible(editor.page, "nieuw kennisitem");
    await editor.page.getByRole("button", { name: "Opslaan" }).click();
    await editor.page.waitForLoadState();
    const errors = await editor.page.locator("main").textContent();
    assert.match(errors, /Geef het kennisitem een titel\./);
    assert.match(errors, /Vat in een paar zinnen samen/);
    await expectAccessible(editor.page, "nieuw kennisitem met fouten");
    await editor.page.getByLabel("Titel").fill("Handreiking sluiting hennepkwekerij met artikel 13b");
    await editor.page.getByLabel("Samenvatting").fill("Zo sluit de burgemeester een pand met een hennepkwekerij.");
    await editor.page.getByLabel("Georganiseerde hennepteelt").check();
    await editor.page.getByLabel("Gemeente", { exact: true }).check();
    await editor.page.getByRole("button", { name: "Opslaan" }).click();
    await editor.page.waitForURL(/\/kennis\/\d+\?melding=opgeslagen/);
    const itemUrl = editor.page.url().replace(/\?.*$/, "");
    assert.match(await editor.page.locator("main").textContent(), /Concept/);
    await expectAccessible(editor.page, "kennisitem (redactie)");
    await editor.page.getByRole("button", { name: "Ter beoordeling aanbieden" }).click();
    await editor.page.waitForURL(/melding=stap/);
    // Four eyes: she does not publish what she offered.
    assert.equal(await editor.page.getByRole("button", { name: "Publiceren" }).count(), 0);

    // 3. The LIEC coordinator finds it on Mijn werk, follows the line to it and publishes it; it
    // leaves the line.
    const liec = await signIn(browser, "demo.liec");
    const toReview = "Kennisitems om te beoordelen en te publiceren";
    await liec.page.goto(`${BASE}/`);
    const toReviewBefore = await workCount(liec.page, toReview);
    assert.ok(toReviewBefore >= 1);
    await liec.page.getByRole("link", { name: toReview, exact: true }).click();
    await liec.page.waitForURL(/\/kennis\?status=ter-beoordeling/);
    await expectAccessible(liec.page, "kennis ter beoordeling");
    await liec.page.getByRole("link", { name: "Handreiking sluiting hennepkwekerij met artikel 13b", exact: true }).first().click();
    await liec.page.waitForURL(/\/kennis\/\d+/);
    assert.equal(liec.page.url().replace(/\?.*$/, ""), itemUrl);
    await liec.page.getByRole("button", { name: "Publiceren" }).click();
    await liec.page.waitForURL(/melding=stap/);
    assert.match(await liec.page.locator("main").textContent(), /Gepubliceerd/);
    await liec.page.goto(`${BASE}/`);
    assert.equal(await workCount(liec.page, toReview), toReviewBefore - 1);

    // 4. A municipal partner finds it among the guides; the state is not shown to her.
    const partner = await signIn(browser, "demo.oost.gemeente");
    await partner.page.goto(`${BASE}/kennis?soort=handreiking`);
    await partner.page.getByRole("link", { name: "Handreiking sluiting hennepkwekerij met artikel 13b" }).click();
    await partner.page.waitForLoadState();
    const read = await partner.page.locator("main").textContent();
    assert.match(read, /Zo sluit de burgemeester/);
    assert.doesNotMatch(read, /Ter beoordeling aanbieden|Redactiestappen/);
    await expectAccessible(partner.page, "kennisitem (partner)");

    // 4a. She follows the theme: the start page shows its newest items, the new guide first.
    await partner.page.goto(`${BASE}/kennis`);
    await partner.page.getByRole("link", { name: "Kies uw thema's" }).click();
    await partner.page.waitForLoadState();
    await expectAccessible(partner.page, "mijn thema's");
    await partner.page.getByLabel("Georganiseerde hennepteelt").check();
    await partner.page.getByRole("button", { name: "Opslaan" }).click();
    await partner.page.waitForURL(/melding=themas/);
    const themes = await partner.page.locator("section.kp-themes").textContent();
    assert.match(themes, /Georganiseerde hennepteelt/);
    assert.match(themes, /Handreiking sluiting hennepkwekerij met artikel 13b/);
    await expectAccessible(partner.page, "kennis startpagina met thema's");

    // 5. The bank association's member reads the public items and its table's, nothing else.
    const bank = await signIn(browser, "demo.bank");
    await bank.page.goto(`${BASE}/kennis?fenomeen=witwassen`);
    const bankList = await bank.page.locator("main").textContent();
    await partner.page.goto(`${BASE}/kennis?fenomeen=witwassen`);
    const partnerList = await partner.page.locator("main").textContent();
    const count = (text) => Number((text.match(/(\d+) kennisitems?/) ?? [])[1] ?? -1);
    assert.ok(count(bankList) > 0 && count(bankList) < count(partnerList), `${count(bankList)} vs ${count(partnerList)}`);
    await bank.page.goto(itemUrl);
    assert.match(await bank.page.locator("h1").textContent(), /niet gevonden|Niet gevonden/i);
    await expectAccessible(bank.page, "kennis (privaat lid)");
  } finally {
    await browser.close();
  }
});
