// Steps the browser tests share. An account is made through the registration form, as a
// person would; interviews are created through the JSON API with the page's own session
// cookie, and turns are taken by the page's own buttons — never through server-function wire
// keys, which are the framework's business.
const { expect } = require('@playwright/test');

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

module.exports = { PASSWORD, uniqueName, submitRegistration, register, createInterview, startInterview };
