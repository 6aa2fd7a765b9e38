// The history in a real browser: filters live in the URL, a filtered URL opened fresh shows the
// same result, and Back restores the previous filter.
const { test, expect } = require('@playwright/test');
const { createInterview, register, startInterview, uniqueName } = require('./helpers');


test('find an interview by type, skill, status and title; URLs and Back work', async ({ page }) => {
  await register(page, { name: uniqueName('hist'), next: '/interviews' });
  await expect(page.getByText('No interviews yet.')).toBeVisible();

  await createInterview(page, { title: 'Python warm-up', interview_type_id: 1, skill_ids: [2, 5] });
  const lead = await createInterview(page, { title: 'Leadership loop', interview_type_id: 2, skill_ids: [13, 6] });
  await createInterview(page, { title: 'Go deep dive', interview_type_id: 1, skill_ids: [4] });
  await startInterview(page, lead.id);

  await page.goto('/interviews');
  const list = page.locator('.interview-list .interview-title');
  await expect(list).toHaveText(['Go deep dive', 'Leadership loop', 'Python warm-up']);
  await expect(page.locator('.filters')).toBeVisible();

  // By type.
  await page.getByLabel('Type').selectOption({ label: 'Behavioral' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/type=2/);
  await expect(list).toHaveText(['Leadership loop']);

  // By title word (type cleared).
  await page.getByLabel('Type').selectOption({ label: 'All types' });
  await page.getByLabel('Title').fill('python');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/q=python/);
  await expect(list).toHaveText(['Python warm-up']);

  // Back restores the previous filter, form included.
  await page.goBack();
  await expect(page).toHaveURL(/type=2/);
  await expect(list).toHaveText(['Leadership loop']);
  await expect(page.getByLabel('Type')).toHaveValue('2');

  // By status, opened fresh from a bookmarked URL.
  await page.goto('/interviews?status=in_progress');
  await expect(list).toHaveText(['Leadership loop']);
  await expect(page.getByLabel('Status')).toHaveValue('in_progress');

  // By skill.
  await page.goto('/interviews');
  await page.locator('summary', { hasText: 'Skills' }).click();
  await page.getByLabel('Go', { exact: true }).check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/skill=4/);
  await expect(list).toHaveText(['Go deep dive']);

  await page.goto('/interviews?q=nothing-like-this');
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
});

test("change an interview's skills afterwards and see the change on its page", async ({ page }) => {
  await register(page, { name: uniqueName('edit'), next: '/interviews/new' });
  const { id } = await createInterview(page, { title: 'Needs more skills', interview_type_id: 1, skill_ids: [1] });
  await page.goto(`/interviews/${id}`);
  await expect(page.locator('.badges .badge')).toHaveText(['JavaScript']);

  await page.getByText('Change type or skills').click();
  await page.getByLabel('Interview type').selectOption({ label: 'System Design' });
  await page.getByRole('checkbox', { name: 'JavaScript' }).uncheck();
  await page.getByRole('checkbox', { name: 'API Design' }).check();
  await page.getByRole('checkbox', { name: 'Databases (SQL)' }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();

  await expect(page.getByRole('status')).toHaveText('Your changes are saved.');
  await expect(page.locator('.meta .type')).toHaveText('System Design');
  await expect(page.locator('.badges .badge')).toHaveText(['API Design', 'Databases (SQL)']);
});
