// Every page hydrates, every time. A resource created inside a <Suspense> once made signed-in
// pages fail to hydrate on about one load in six ("unreachable" in tachys), so each page is
// loaded several times and must come up without a single console error.
const { test, expect } = require('@playwright/test');
const { createInterview, register, uniqueName } = require('./helpers');

test('signed-in and public pages hydrate on every load without errors', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await register(page, { name: uniqueName('hyd'), next: '/' });
  const { id } = await createInterview(page, { title: 'Hydration', interview_type_id: 1, skill_ids: [1] });
  const interview = `/interviews/${id}`;

  // A page is live when a click changes it; each page has its own probe.
  const pages = [
    ['/', async () => {
      await page.getByRole('button', { name: /^Technical/ }).click();
      await expect(page.locator('.skill.suggested')).toHaveCount(4);
    }],
    ['/interviews/new', async () => {
      await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
    }],
    ['/interviews', async () => {
      await page.locator('summary', { hasText: 'Skills' }).click();
      await expect(page.locator('.skill-filter')).toHaveAttribute('open', '');
    }],
    [interview, async () => {
      await expect(page.getByRole('heading', { name: 'Hydration' })).toBeVisible();
      await expect(page.locator('section.live')).toHaveAttribute('data-hydrated', 'true');
    }],
  ];
  for (let round = 0; round < 5; round++) {
    for (const [path, probe] of pages) {
      await page.goto(path);
      await probe();
    }
  }
  // Give any late hydration panic time to surface.
  await page.waitForTimeout(300);
  expect(errors).toEqual([]);
});
