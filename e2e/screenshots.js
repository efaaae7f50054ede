// Screenshots for docs/screenshots, taken from a running demo (not part of the test command):
//   cargo run -p knooppunt -- demo --port 18093 --data-dir /tmp/knooppunt-shots
//   cd e2e && KNOOPPUNT_E2E_URL=http://127.0.0.1:18093 node screenshots.js ../docs/screenshots
import { BASE, launch, signIn } from "./tests/helpers.js";

const out = process.argv[2] ?? "../docs/screenshots";
const desktop = { viewport: { width: 1280, height: 900 } };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** A screenshot of the whole page, of what the screen shows (`screen`), or of one element. */
async function shoot(browser, user, options, path, file, { screen = false, element = null } = {}) {
  const { context, page } = await signIn(browser, user, options);
  await page.goto(`${BASE}${path}`);
  if (element) {
    // The network picture's frame scrolls; for the picture, let it show everything.
    await page.locator(".kp-network-frame").evaluate((el) => { el.style.maxHeight = "none"; el.style.overflow = "visible"; });
    await page.locator(element).screenshot({ path: `${out}/${file}` });
  } else {
    await page.screenshot({ path: `${out}/${file}`, fullPage: !screen });
  }
  console.log(`${file}: ${page.url()}`);
  await context.close();
}

/** The address of the demo's network case (fifty subjects). */
async function networkCase(browser) {
  const { context, page } = await signIn(browser, "demo.oost.analist", desktop);
  await page.goto(`${BASE}/casussen?regio=oost-brabant`);
  const href = await page.getByRole("link", { name: "Vastgoednetwerk rond een familieholding", exact: true }).getAttribute("href");
  await context.close();
  return href;
}

const browser = await launch();
try {
  await shoot(browser, "demo.oost.analist", desktop, "/", "mijn-werk-analist.png");
  await shoot(browser, "demo.oost.manager", desktop, "/", "mijn-werk-manager.png");
  await shoot(browser, "demo.oost.belastingdienst", desktop, "/", "mijn-werk-belastingdienst.png");
  await shoot(browser, "demo.oost.belastingdienst", desktop, "/meldingen", "meldingen-belastingdienst.png", { screen: true });
  await shoot(browser, "demo.oost.stuurgroep", desktop, "/", "mijn-werk-stuurgroep.png");
  const c = await networkCase(browser);
  await shoot(browser, "demo.oost.analist", desktop, c, "casus-desktop.png");
  await shoot(browser, "demo.oost.analist", phone, c, "casus-telefoon.png", { screen: true });
  await shoot(browser, "demo.oost.analist", desktop, `${c}/analyse`, "netwerkbeeld-desktop.png", { element: "svg.kp-network" });
  await shoot(browser, "demo.oost.analist", phone, `${c}/analyse#netwerkbeeld`, "netwerkbeeld-telefoon.png", { screen: true });
} finally {
  await browser.close();
}
