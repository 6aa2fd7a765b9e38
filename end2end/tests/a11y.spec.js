// Accessibility and looks: axe-core (from npm) on every page, signed out and in, with no
// serious or critical violation; screenshots of each page at desktop and phone widths, saved
// as test artifacts; and no sideways scrolling at 360 px.
const { test, expect } = require('@playwright/test');
const { AXE, audit, createInterview, register, uniqueName } = require('./helpers');

// axe is injected by the test, not served by the app, so the page's CSP must not block it.
test.use({ bypassCSP: true });

async function visit(page, testInfo, path, name, ready) {
  await page.goto(path);
  await expect(ready(page)).toBeVisible();
  await audit(page, testInfo, name);
}

test('the audit catches a violation when there is one', async ({ page }) => {
  await page.setContent('<html lang="en"><body><main><input type="text"></main></body></html>');
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  expect(result.violations.map((v) => v.id)).toContain('label');
});

test('every page passes axe and holds its layout, signed out and in', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await visit(page, testInfo, '/', 'home-signed-out', (p) => p.getByRole('heading', { level: 1 }));
  await visit(page, testInfo, '/signin', 'sign-in', (p) => p.getByLabel('Username'));
  await visit(page, testInfo, '/register', 'register', (p) => p.getByLabel('Username'));
  await visit(page, testInfo, '/no-such-page', 'not-found', (p) => p.getByRole('heading', { level: 1 }));

  await register(page, { name: uniqueName('a11y'), next: '/interviews' });
  await expect(page.getByText('No interviews yet.')).toBeVisible();
  await audit(page, testInfo, 'history-empty');
  await visit(page, testInfo, '/', 'home-signed-in', (p) => p.getByRole('heading', { level: 1 }));
  await visit(page, testInfo, '/interviews/new', 'setup', (p) => p.locator('form.setup[data-hydrated=true]'));

  const { id } = await createInterview(page, {
    title: 'Accessible loop', interview_type_id: 2, skill_ids: [6, 7], question_count: 3,
  });
  await visit(page, testInfo, '/interviews', 'history', (p) => p.locator('.interview-list'));
  await visit(page, testInfo, `/interviews/${id}`, 'interview-pending', (p) => p.getByRole('button', { name: 'Start the interview' }));
  await page.getByRole('button', { name: 'Start the interview' }).click();
  await expect(page.getByTestId('progress')).toHaveText('Question 1 of 3');
  await audit(page, testInfo, 'interview-in-progress');
  await page.getByRole('button', { name: 'Cancel without a report' }).click();
  await audit(page, testInfo, 'interview-confirm-cancel');
  await page.getByRole('button', { name: 'Keep going' }).click();
  // One answer, so the report rates a skill (and shows its key points); then skip to the end —
  // the answer may earn a follow-up first, which a skip also moves past.
  await page.getByLabel('Your answer').fill('For example, when two teams disagreed on an API ' +
    'design last year, I set up a short meeting, wrote down both options with their costs, and ' +
    'we picked one within a day because the numbers made the trade-off clear to everyone.');
  await page.getByRole('button', { name: 'Send answer' }).click();
  await expect(page.locator('.conversation > li')).toHaveCount(3);
  await expect(page.locator('#live-reply')).toHaveAttribute('data-state', 'idle');
  for (let n = 0; n < 3 && await page.getByRole('button', { name: 'Skip question' }).count(); n++) {
    await page.getByRole('button', { name: 'Skip question' }).click();
    await expect(page.locator('#live-reply')).toHaveAttribute('data-state', 'idle');
  }
  await expect(page.getByRole('heading', { name: 'Feedback report' })).toBeVisible();
  await audit(page, testInfo, 'interview-report');
});
