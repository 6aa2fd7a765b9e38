// Setting up an interview in a real browser, hydrated and with JavaScript off.
const { test, expect } = require('@playwright/test');
const { register, uniqueName } = require('./helpers');


async function signUp(page) {
  await register(page, { name: uniqueName('setup'), next: '/interviews/new' });
  await expect(page).toHaveURL(/\/interviews\/new$/);
}

const checked = (page) => page.locator('.checklist input[type=checkbox]:checked');
const checkedNames = async (page) =>
  (await page.locator('.checklist li:has(input:checked) .skill-name').allTextContents()).sort();

test('the type pre-selects its skills and switching keeps hand-picked ones', async ({ page }) => {
  await signUp(page);
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');

  await page.getByLabel('Interview type').selectOption({ label: 'Technical' });
  await expect(checked(page)).toHaveCount(4);
  expect(await checkedNames(page)).toEqual(['Algorithms & Data Structures', 'JavaScript', 'Problem Solving', 'Python']);
  await expect(page.getByText('4 selected (up to 10)')).toBeVisible();
  // Suggested skills come first and carry a badge.
  await expect(page.locator('.checklist li').first()).toHaveClass(/suggested/);
  await expect(page.locator('#type-description')).toHaveText('Assesses technical knowledge and problem-solving abilities in a specific domain.');

  await page.getByLabel('Go', { exact: true }).check();
  await expect(page.getByText('5 selected (up to 10)')).toBeVisible();

  await page.getByLabel('Interview type').selectOption({ label: 'Behavioral' });
  await expect(checked(page)).toHaveCount(4);
  expect(await checkedNames(page)).toEqual(['Communication', 'Go', 'Leadership', 'Teamwork']);

  // The search box filters the list as you type.
  await page.getByLabel('Filter skills').fill('data');
  await expect(page.locator('.checklist li:visible')).toHaveCount(3);
  await expect(page.locator('.checklist li:visible .skill-name')).toHaveText(['Algorithms & Data Structures', 'Databases (NoSQL)', 'Databases (SQL)'].sort());
  await page.getByLabel('Filter skills').fill('zzz');
  await expect(page.getByText('No skill matches that filter.')).toBeVisible();
  await page.getByLabel('Filter skills').fill('');

  await page.getByLabel('Title').fill('Team lead loop');
  await page.getByLabel('Number of questions').fill('8');
  await page.getByLabel('Difficulty').selectOption('hard');
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page).toHaveURL(/\/interviews\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Team lead loop' })).toBeVisible();
  await expect(page.locator('.meta .type')).toHaveText('Behavioral');
  await expect(page.getByText('8 questions · Hard')).toBeVisible();
  for (const skill of ['Communication', 'Go', 'Leadership', 'Teamwork']) {
    await expect(page.locator('.badges .badge', { hasText: skill })).toBeVisible();
  }
});

test('a too-long title and zero skills show their errors beside the fields', async ({ page }) => {
  await signUp(page);
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Title').fill('x'.repeat(121));
  await expect(page.getByText('121 / 120 characters')).toBeVisible();
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page.locator('#title-error')).toHaveText('Keep the title to 120 characters or fewer.');
  await expect(page.locator('#skill_ids-error')).toHaveText('Choose at least one skill.');
  await expect(page.locator('#interview_type_id-error')).toHaveText('Choose an interview type.');
  await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/interviews\/new$/);
});

test('setting up works with JavaScript off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signUp(page);
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'false');
  await page.getByLabel('Title').fill('x'.repeat(121));
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page).toHaveURL(/\/interviews\/new\?.*\berrors=title_long/);
  await expect(page.locator('#title-error')).toHaveText('Keep the title to 120 characters or fewer.');
  await expect(page.locator('#skill_ids-error')).toHaveText('Choose at least one skill.');

  await page.getByLabel('Title').fill('Plain HTML loop');
  await page.getByLabel('Interview type').selectOption({ label: 'System Design' });
  await page.getByLabel('API Design').check();
  await page.getByLabel('Databases (SQL)').check();
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page).toHaveURL(/\/interviews\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Plain HTML loop' })).toBeVisible();
  await expect(page.locator('.meta .type')).toHaveText('System Design');
  await context.close();
});

test('the setup journey works with the keyboard alone', async ({ page }) => {
  await signUp(page);
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return e ? { id: e.id, type: e.type, value: e.value, tag: e.tagName } : {};
  });
  // Presses Tab until the focused element matches, as a keyboard user would.
  async function tabTo(matches, what) {
    for (let i = 0; i < 80; i++) {
      if (matches(await focused())) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${what}`);
  }
  await tabTo((e) => e.id === 'title', 'the title');
  await page.keyboard.type('Keyboard only');
  await tabTo((e) => e.id === 'interview_type_id', 'the type');
  await page.keyboard.type('Tech'); // a focused select picks the option typed
  await expect(checked(page)).toHaveCount(4);
  await tabTo((e) => e.type === 'checkbox' && e.value === '4', 'the Go checkbox');
  await page.keyboard.press('Space');
  await expect(checked(page)).toHaveCount(5);
  await tabTo((e) => e.type === 'submit', 'the submit button');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/interviews\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Keyboard only');
  await expect(page.locator('.panel .badges li')).toHaveCount(5);
  // And on into the interview: Tab to Start, Enter.
  await expect(page.locator('section.live')).toHaveAttribute('data-hydrated', 'true');
  await tabTo((e) => e.tag === 'BUTTON' && e.value === '' && e.type === 'button', 'the start button');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('progress')).toHaveText(/Question 1 of \d+/);
  // Answer and skip, still by keyboard.
  await tabTo((e) => e.id === 'answer', 'the answer box');
  await page.keyboard.type('I would start with a hash map because lookups are constant time.');
  await page.keyboard.press('Enter');
  await expect(page.locator('.conversation > li')).toHaveCount(3);
  await expect(page.locator('#live-reply')).toHaveAttribute('data-state', 'idle');
  await tabTo((e) => e.tag === 'BUTTON' && e.id === 'skip', 'the skip button');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('progress')).toHaveText(/Question 2 of \d+/);
});
