// The first page: types and skills from the database, rendered on the server; choosing a type
// is a plain GET form, so the page loads no script at all.
const { test, expect } = require('@playwright/test');
const { register, uniqueName } = require('./helpers');

/** Fails the test on any error the page logs or throws (hydration panics land here). */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

test('server HTML lists the types and skills before any script runs', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto(baseURL + '/');
  expect(response.status()).toBe(200);
  await expect(page.locator('.type-name')).toHaveText(['Behavioral', 'Product Sense', 'System Design', 'Technical']);
  await expect(page.locator('.skill')).toHaveCount(17);
  // Choosing a type works without JavaScript.
  await page.getByRole('button', { name: /^Technical/ }).click();
  await expect(page).toHaveURL(/\?type=\d+#types$/);
  await expect(page.locator('.skill.suggested')).toHaveCount(4);
  await context.close();
});

test('choosing a type highlights its suggested skills, and the page loads no script', async ({ page }) => {
  const errors = watchErrors(page);
  const scripts = [];
  page.on('request', (r) => /\.(js|wasm)$/.test(new URL(r.url()).pathname) && scripts.push(r.url()));
  await page.goto('/');
  // No module to load (inline data Leptos writes for resources may remain).
  await expect(page.locator('script[type=module], script[src], link[rel=modulepreload]')).toHaveCount(0);

  await page.getByRole('button', { name: /^Technical/ }).click();
  await expect(page.getByRole('button', { name: /^Technical/ })).toHaveAttribute('aria-pressed', 'true');
  const suggested = page.locator('.skill.suggested .skill-name');
  await expect(suggested).toHaveText(['Algorithms & Data Structures', 'JavaScript', 'Problem Solving', 'Python']);
  // Suggested skills are listed first.
  await expect(page.locator('.skill .skill-name').first()).toHaveText('Algorithms & Data Structures');
  await expect(page.getByText('4 suggested for this type, listed first.')).toBeVisible();

  await page.getByRole('button', { name: /^Behavioral/ }).click();
  await expect(suggested).toHaveText(['Communication', 'Leadership', 'Teamwork']);
  await expect(page.getByRole('button', { name: /^Technical/ })).toHaveAttribute('aria-pressed', 'false');

  // Choosing the same type again clears the choice.
  await page.getByRole('button', { name: /^Behavioral/ }).click();
  await expect(suggested).toHaveCount(0);
  expect(errors).toEqual([]);
  expect(scripts).toEqual([]);
});

test('an unknown address answers 404 with a page that says so, and its scripts run', async ({ page }) => {
  // Under /interviews/, where pages hold islands, so the 404 page loads the script too.
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const wasm = page.waitForResponse((r) => /\/pkg\/[^/]+\.wasm$/.test(r.url()));
  const response = await page.goto('/interviews/no/such/page');
  expect(response.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  // Its inline script carries the CSP nonce, so it runs: it loads the app's wasm (which finds
  // no island to hydrate on this page).
  expect((await wasm).ok()).toBe(true);
  // The browser reports the document's own 404; nothing else may fail.
  expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
});

test('a reload takes the site files from the browser cache, not the server', async ({ page }) => {
  await register(page, { name: uniqueName('cache'), next: '/interviews/new' });
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
  // Chromium's own view of each response: from its disk or memory cache, or a 304.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = new Map();
  const fromCache = new Set();
  cdp.on('Network.requestServedFromCache', (e) => fromCache.add(e.requestId));
  cdp.on('Network.responseReceived', (e) => {
    const path = new URL(e.response.url).pathname;
    if (path.startsWith('/pkg/')) seen.set(path, { id: e.requestId, r: e.response });
  });
  await page.reload();
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
  // The stylesheet, the script and the wasm bundle, by their hashed names.
  const paths = [...seen.keys()];
  for (const ext of ['css', 'js', 'wasm']) {
    const re = new RegExp(`^/pkg/perfect-pitch\\.[\\w-]+\\.${ext}$`);
    expect(paths.filter((p) => re.test(p)), `${ext} in ${paths}`).toHaveLength(1);
  }
  for (const [path, { id, r }] of seen) {
    const cached = r.fromDiskCache || r.fromMemoryCache || fromCache.has(id) || r.status === 304;
    expect(cached, `${path}: status ${r.status}`).toBe(true);
    expect(r.headers['cache-control'] ?? r.headers['Cache-Control'], path)
      .toBe('public, max-age=31536000, immutable');
  }
});
