// Steps the browser tests share. An account is made through the registration form, as a
// person would; interviews are created through the JSON API with the page's own session
// cookie, and turns are taken by the page's own buttons — never through server-function wire
// keys, which are the framework's business.
const { expect } = require('@playwright/test');
const fs = require('node:fs');

const PASSWORD = 'correct horse battery staple';

/** A username no other test in this run has: `prefix` and a few digits. */
const uniqueName = (prefix) => `${prefix}${Date.now() % 1000000}${Math.floor(Math.random() * 100)}`;

/** Fills in and sends the registration form, whatever the outcome (a taken name, say). */
async function submitRegistration(page, { name, next, base = '' }) {
  await page.goto(next ? `${base}/register?next=${encodeURIComponent(next)}` : `${base}/register`);
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Registers `name` through the form (from `base`, for a test's own server) and lands on `next`. */
async function register(page, { name, next = '/interviews', base = '' } = {}) {
  await submitRegistration(page, { name, next, base });
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[/?.]/g, '\\$&')}$`));
}

/** Creates an interview with `POST /api/v1/interviews` as the signed-in page; returns it. */
async function createInterview(page, interview, { base = '' } = {}) {
  const r = await page.request.post(`${base}/api/v1/interviews`, { data: interview });
  expect(r.status(), await r.text()).toBe(201);
  return r.json();
}

/** Opens the interview page, waits for it to hydrate and presses "Start the interview". */
async function startInterview(page, id, { base = '' } = {}) {
  await page.goto(`${base}/interviews/${id}`);
  await expect(page.locator('section.live')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Start the interview' }).click();
  await expect(page.getByTestId('progress')).toHaveText(/^Question 1 of \d+$/);
}

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } };

/** axe-core on the page (no serious or critical violation), then screenshots at desktop and
 * phone widths attached to the test, and no sideways scrolling at 360 px. Tests that call it use
 * `bypassCSP`, since axe is injected by the test, not served by the app. */
async function audit(page, testInfo, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe on ${name}`).toEqual([]);
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    const shot = testInfo.outputPath(`${name}-${size}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach(`${name}-${size}`, { path: shot, contentType: 'image/png' });
    if (size === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize(SIZES.desktop);
}

module.exports = { AXE, audit, PASSWORD, uniqueName, submitRegistration, register, createInterview, startInterview };
