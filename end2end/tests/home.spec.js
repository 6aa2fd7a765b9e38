// The first page: types and skills from the database, rendered on the server and hydrated.
const { test, expect } = require('@playwright/test');

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
  await expect(page.locator('[data-hydrated]')).toHaveAttribute('data-hydrated', 'false');
  await context.close();
});

test('the page hydrates and choosing a type highlights its suggested skills', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('[data-hydrated]')).toHaveAttribute('data-hydrated', 'true');

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
});

test('an unknown address answers 404 with a page that says so, and it hydrates', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const response = await page.goto('/no/such/page');
  expect(response.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  // Its inline hydration script carries the CSP nonce, so the page comes alive.
  await expect(page.locator('section.not-found')).toHaveAttribute('data-hydrated', 'true');
  // The browser reports the document's own 404; nothing else may fail.
  expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
});

test('a reload revalidates the site files and gets 304s instead of the files again', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.home')).toHaveAttribute('data-hydrated', 'true');
  const assets = [];
  page.on('requestfinished', (req) => {
    const path = new URL(req.url()).pathname;
    if (path.startsWith('/pkg/')) assets.push({ path, req });
  });
  await page.reload();
  await expect(page.locator('.home')).toHaveAttribute('data-hydrated', 'true');
  // The stylesheet, the script and the wasm bundle: each asked for with the date the browser
  // has, and answered 304 with no body — the browser used its cached copy. (Chromium reports
  // the cached response's status, so the 304 shows as an empty transfer.)
  expect(assets.map((a) => a.path).sort()).toEqual(
    ['/pkg/perfect-pitch.css', '/pkg/perfect-pitch.js', '/pkg/perfect-pitch.wasm']);
  for (const { path, req } of assets) {
    const headers = await req.allHeaders();
    expect(headers['if-modified-since'], path).toBeTruthy();
    const sizes = await req.sizes();
    expect(sizes.responseBodySize, path).toBe(0);
    const response = await req.response();
    expect(response.headers()['cache-control'], path).toBe('no-cache');
  }
});
