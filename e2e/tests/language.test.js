// Dutch that reads right: every page a role can reach by following links (up to a bound per
// role) is scanned for what a user should never read — internal codes (kebab-case or
// snake_case identifiers), arrows between codes, English words and days as stored
// (jjjj-mm-dd). The allow-list holds the Dutch words that are written with hyphens in lower case.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, codeTokens, launch, signIn } from "./helpers.js";

const ROLES = [
  "demo.oost.analist", "demo.oost.manager", "demo.oost.jurist", "demo.oost.gemeente", "demo.oost.politie",
  "demo.oost.stuurgroep", "demo.liec", "demo.loket", "demo.privacy", "demo.auditor", "demo.kennis", "demo.beheerder",
];
const PAGES_PER_ROLE = Number(process.env.KNOOPPUNT_E2E_CRAWL_PAGES ?? 40);

function skip(url) {
  const u = new URL(url);
  if (u.origin !== new URL(BASE).origin) return true;
  // Sign-out, downloads, prints and exports are not pages to read (exports are audited).
  return /\/(uitloggen|bijlagen|export|afdruk|dossier|assets|api)\b/.test(u.pathname) || /\.(csv|pdf|json|svg|css|js)$/.test(u.pathname);
}

async function crawl(page, start, limit) {
  const seen = new Set();
  const queue = [start];
  const problems = new Map();
  while (queue.length > 0 && seen.size < limit) {
    const url = queue.shift();
    const key = url.replace(/#.*$/, "");
    if (seen.has(key)) continue;
    seen.add(key);
    const response = await page.goto(url);
    if (!response || !(response.headers()["content-type"] ?? "").startsWith("text/html")) continue;
    const text = await page.locator("body").innerText();
    for (const token of codeTokens(text)) {
      const pages = problems.get(token) ?? [];
      pages.push(`${new URL(url).pathname}${new URL(url).search}`);
      problems.set(token, pages);
    }
    const links = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.href));
    for (const link of links) {
      if (!skip(link) && !seen.has(link.replace(/#.*$/, ""))) queue.push(link);
    }
  }
  return { problems, pages: seen.size };
}

test("no page any role reaches shows a code, an arrow or an English word", async () => {
  const browser = await launch();
  try {
    const problems = new Map();
    let pages = 0;
    for (const username of ROLES) {
      const session = await signIn(browser, username);
      const result = await crawl(session.page, `${BASE}/`, PAGES_PER_ROLE);
      pages += result.pages;
      for (const [token, where] of result.problems) {
        const seen = problems.get(token) ?? [];
        seen.push(...where.map((w) => `${username} ${w}`));
        problems.set(token, seen);
      }
      await session.context.close();
    }
    assert.ok(pages > ROLES.length * 3, `only ${pages} pages crawled`);
    // One line per token, with the first pages it was seen on.
    const report = [...problems].map(([token, where]) => `"${token}" on ${where.length} page(s), e.g. ${where.slice(0, 3).join("; ")}`);
    assert.deepEqual(report, [], `${report.length} code-like tokens`);
  } finally {
    await browser.close();
  }
});

test("the scan finds what it is meant to find", () => {
  assert.deepEqual(codeTokens("Actie: casus-bekeken door full_name (voorgesteld -> toegezegd), done, termijn 2026-11-30"), [
    "casus-bekeken", "full_name", "(voorgesteld -> toegezegd),", "2026-11-30", "done",
  ]);
  assert.deepEqual(codeTokens("Een pre-casus in Oost-Brabant, RIEC-bureau, e-mail jan@example.nl, 30-11-2026, CAS-2026-00357, /casussen/12"), []);
});
