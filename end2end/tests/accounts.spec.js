// Accounts in a real browser: register, sign out, sign in again; pages that need a user send
// visitors to sign in and back; another user's interview is "not found".
const { test, expect } = require('@playwright/test');

const { PASSWORD, createInterview, submitRegistration, uniqueName } = require('./helpers');

const register = (page, name, next) => submitRegistration(page, { name, next });

test('register, sign out, and sign in again', async ({ page }) => {
  const name = uniqueName('ada');
  await register(page, name);
  await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill('not my password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  await expect(page.getByLabel('Username')).toHaveValue(name);

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();
});

test('a taken username and a weak password are explained beside their fields', async ({ page }) => {
  const name = uniqueName('bob');
  await register(page, name);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await register(page, name);
  await expect(page.locator('#username-error')).toHaveText('That username is taken. Choose another, or sign in.');
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Username').fill(`${name}x`);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#password-error')).toContainText('too easy to guess');
});

test('a page that needs a user sends a visitor to sign in and back', async ({ page }) => {
  await page.goto('/interviews');
  await expect(page).toHaveURL(/\/signin\?next=%2Finterviews$/);
  await page.getByRole('link', { name: 'Create one' }).click();
  await expect(page).toHaveURL(/\/register\?next=%2Finterviews$/);
  await page.getByLabel('Username').fill(uniqueName('cleo'));
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/interviews$/);
  await expect(page.getByRole('heading', { name: 'My interviews' })).toBeVisible();
  await expect(page.getByText('No interviews yet.')).toBeVisible();
});

test("a second user cannot open the first user's interview", async ({ browser }) => {
  const first = await browser.newContext();
  const firstPage = await first.newPage();
  await register(firstPage, uniqueName('dan'));
  const created = await createInterview(firstPage, { title: 'Dan private loop', interview_type_id: 1, skill_ids: [1] });
  await firstPage.goto(`/interviews/${created.id}`);
  await expect(firstPage.getByRole('heading', { name: 'Dan private loop' })).toBeVisible();

  const second = await browser.newContext();
  const secondPage = await second.newPage();
  await register(secondPage, uniqueName('eve'));
  const response = await secondPage.goto(`/interviews/${created.id}`);
  expect(response.status()).toBe(404);
  await expect(secondPage.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(secondPage.getByText('Dan private loop')).toHaveCount(0);
  await first.close();
  await second.close();
});

test('registering and signing in work with JavaScript off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const name = uniqueName('nojs');
  await register(page, name, '/interviews');
  await expect(page).toHaveURL(/\/interviews$/);
  await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/signin');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();
  await context.close();
});
