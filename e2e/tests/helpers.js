// Shared helpers for the browser journeys: Debian's chromium, axe at WCAG 2.1 AA, TOTP codes.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { createHmac } from "node:crypto";
import assert from "node:assert/strict";

export const BASE = process.env.KNOOPPUNT_E2E_URL ?? "http://127.0.0.1:8080";
export const DEMO_PASSWORD = "Knooppunt-Demo-2026";
export const DEMO_TOTP_SECRET = "KNOOPPUNTDEMO234KNOOPPUNTDEMO234";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

function base32(s) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of s.replace(/=+$/, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for a base32 secret. */
export function totp(secret, now = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, "0");
}

/** Fails with the list of violations when axe finds any WCAG 2.1 A/AA problem on the page, or
 * with the code-like tokens when the page shows internal codes or English ([`codeTokens`]). */
export async function expectAccessible(page, label) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(found, [], `axe violations on ${label} (${page.url()})`);
  // A secret shown once (a new API token) is machine text by design; the rest is read by people.
  let text = await page.locator("body").innerText();
  for (const secret of await page.locator("code.kp-secret").allInnerTexts()) text = text.replace(secret, "");
  assert.deepEqual(codeTokens(text), [], `codes or English on ${label} (${page.url()})`);
}

// Lower-case Dutch words that carry a hyphen, and the date pattern we ask users to type.
const ALLOWED = new Set([
  "pre-casus", "pre-casussen", "need-to-know", "financieel-economische", "dd-mm-jjjj", "no-hit", "hoog-risico",
  "authenticator-app", "pgb-zorg", "pgb-fraude", "wmo-fraude",
]);
// Words made with "niet-" (niet-geleverde) or "e-mail" (e-mailadressen) are Dutch.
const allowed = (token) => ALLOWED.has(token) || token.startsWith("niet-") || token.startsWith("e-mail");
const ENGLISH = ["done", "pending", "true", "false", "null", "undefined", "none", "ok", "bits", "todo", "error", "failed", "denied"];

/** The code-like tokens in a page's visible text. */
export function codeTokens(text) {
  const found = new Set();
  for (const m of text.matchAll(/(?<![\p{L}\p{N}/.@:_-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\p{L}\p{N}/.@_-])/gu)) {
    if (!allowed(m[0])) found.add(m[0]);
  }
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])[a-z]+(?:_[a-z0-9]+)+(?![\p{L}\p{N}])/gu)) found.add(m[0]);
  for (const m of text.matchAll(/\S*\s?->\s?\S*/g)) found.add(m[0].trim());
  // Dates are shown as people write them (dd-mm-jjjj), never as stored (jjjj-mm-dd).
  for (const m of text.matchAll(/(?<![\p{L}\p{N}-])\d{4}-\d{2}-\d{2}(?![\p{N}-])/gu)) found.add(m[0]);
  for (const word of ENGLISH) {
    for (const m of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, "gu"))) found.add(m[0]);
  }
  return [...found];
}

/** Signs in a demo account in a fresh browser context; returns the context and its page. */
export async function signIn(browser, username, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  await page.goto(`${BASE}/inloggen`);
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByLabel("Wachtwoord").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.waitForURL((url) => url.pathname === "/" || url.pathname === "/inloggen/tweede-factor");
  if (new URL(page.url()).pathname === "/inloggen/tweede-factor") {
    // The administrator has a second factor even in the demo.
    await page.getByLabel("Code").fill(totp(DEMO_TOTP_SECRET));
    await page.getByRole("button", { name: "Bevestigen" }).click();
    await page.waitForURL(`${BASE}/`);
  }
  return { context, page };
}

/** The e-mails in the test SMTP server's Maildir (started by scripts/test) addressed to `to`;
 * `null` when the journeys run without one (then there is nothing to check). */
export async function mailsTo(to) {
  const dir = process.env.KNOOPPUNT_E2E_MAILDIR;
  if (!dir) return null;
  const { readdir, readFile } = await import("node:fs/promises");
  const names = await readdir(`${dir}/new`).catch(() => []);
  const found = [];
  for (const name of names) {
    const text = await readFile(`${dir}/new/${name}`, "utf8");
    if (new RegExp(`^To: ${to.replace(/[.]/g, "\\.")}$`, "m").test(text)) found.push(text);
  }
  return found;
}

/** The unread count the header's bell shows (0 without a badge). */
export async function unread(page) {
  const badge = page.locator(".kp-bell .kp-badge");
  if ((await badge.count()) === 0) return 0;
  return Number(/\d+/.exec(await badge.textContent())[0]);
}

/** How many things a line of "Mijn werk" counts (the number after its link), on the page shown. */
export async function workCount(page, name) {
  const line = page.locator(".kp-work li", { has: page.getByRole("link", { name, exact: true }) });
  const match = /:\s*(\d+)/.exec(await line.textContent());
  if (!match) throw new Error(`no count for "${name}" on Mijn werk`);
  return Number(match[1]);
}
