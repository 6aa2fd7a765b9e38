// The practice loop in a real browser: progress after two interviews (chart and table),
// "practise weak skills", the adaptive levels, the report kept as Markdown and printed, a
// setup from a pasted job ad, and the dark theme. axe-core on every new page.
const { test, expect } = require('@playwright/test');
const fs = require('node:fs');
const { PASSWORD, audit, createInterview, register, startInterview, uniqueName } = require('./helpers');

// axe is injected by the test, not served by the app.
test.use({ bypassCSP: true });

const ANSWER = 'I would use a dict, because lookups by key are constant time on average: it is ' +
  'a hash table. A list would need a linear scan. For example, counting words I keep a dict ' +
  'from word to count and update it in one pass, which stays O(n) overall.';

/** One interview through the page's own buttons: start, answer the first question, end. */
async function interviewOnce(page, title) {
  const { id } = await createInterview(page, {
    title, interview_type_id: 1, skill_ids: [2, 4], question_count: 3,
  });
  await startInterview(page, id);
  await page.getByLabel('Your answer').fill(ANSWER);
  await page.getByRole('button', { name: 'Send answer' }).click();
  await expect(page.locator('#live-reply')).toHaveAttribute('data-state', 'idle');
  await page.getByRole('button', { name: 'End interview' }).click();
  await expect(page.getByRole('heading', { name: 'Feedback report' })).toBeVisible();
  return id;
}

test('progress after two interviews, practise weak skills, adaptive levels, the report kept', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await register(page, { name: uniqueName('prog'), next: '/interviews' });

  await page.goto('/progress');
  await expect(page).toHaveTitle('Progress · Perfect Pitch');
  await expect(page.getByText(/No ratings yet/)).toBeVisible();
  await audit(page, testInfo, 'progress-empty');

  await interviewOnce(page, 'First go');
  await interviewOnce(page, 'Second go');

  // The report as Markdown, and as a printed document (no site header, no buttons).
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download as Markdown' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('second-go-report.md');
  const md = fs.readFileSync(await download.path(), 'utf8');
  for (const part of ['# Second go', '## Ratings', '| Python |', '## Questions', '## Conversation', 'hash table']) {
    expect(md).toContain(part);
  }
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Feedback report' })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // Progress: the answered skill has two ratings, drawn and tabled; the unanswered one none.
  await page.getByRole('link', { name: 'Progress' }).click();
  const python = page.locator('.progress-card', { has: page.getByRole('heading', { name: 'Python' }) });
  await expect(python.locator('svg.chart circle')).toHaveCount(2);
  await expect(python.locator('table tbody tr')).toHaveCount(2);
  await expect(python.locator('table caption')).toHaveText('Ratings of Python, oldest first');
  await expect(python.locator('.level')).toHaveText(/^Latest [1-5]\/5$/);
  await expect(page.locator('.progress-card', { has: page.getByRole('heading', { name: 'Go' }) })).toHaveCount(0);
  await audit(page, testInfo, 'progress');

  // Practise weak skills: the setup page with the rated skill ticked and the reason beside it.
  await page.getByRole('link', { name: 'Practise weak skills' }).click();
  await expect(page).toHaveURL(/\/interviews\/new\?focus=weak$/);
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByRole('checkbox', { name: /^Python/ })).toBeChecked();
  await expect(page.getByText(/^Practise: latest rating [1-5]\/5 \(2 ratings/)).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /^Go\b/ })).not.toBeChecked();

  // Adaptive: each skill's level and the ratings behind it, once chosen.
  await expect(page.getByText(/^Adaptive: /)).toHaveCount(0);
  await page.getByLabel('Difficulty').selectOption('adaptive');
  await expect(page.locator('li', { has: page.getByRole('checkbox', { name: /^Python/ }) }))
    .toContainText(/Adaptive: (easy|medium|hard) \(from your ratings [1-5], [1-5]\)/);
  await expect(page.locator('li', { has: page.getByRole('checkbox', { name: /^Go\b/ }) }))
    .toContainText('Adaptive: medium (no ratings yet)');
  await audit(page, testInfo, 'setup-weak-adaptive');
});

test('a pasted job ad pre-selects the skills it asks for, with the phrases shown', async ({ page }, testInfo) => {
  await register(page, { name: uniqueName('ad'), next: '/interviews' });
  await page.goto('/interviews/new');
  await expect(page).toHaveTitle('Set up an interview · Perfect Pitch');
  await page.getByText('Set up from a job ad').click();
  await page.getByLabel('Paste the job ad').fill(
    'Backend Engineer (Payments)\n\nYou will build services in Golang on PostgreSQL and ' +
    'design gRPC APIs. We go the extra mile for our customers.');
  await page.getByRole('button', { name: 'Match skills' }).click();
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByText('Pre-filled with the skills the job ad asks for')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /^Go\b/ })).toBeChecked();
  await expect(page.getByText('In the ad: “Golang”')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /^Databases \(SQL\)/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /^Python/ })).not.toBeChecked();
  await expect(page.getByLabel('Interview type')).toHaveValue('1');
  // The ad stays in its box, to edit and match again.
  await expect(page.getByLabel('Paste the job ad')).toHaveValue(/Golang on PostgreSQL/);
  await audit(page, testInfo, 'setup-from-job-ad');

  await page.getByLabel('Title').fill('Payments backend');
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page).toHaveURL(/\/interviews\/[0-9a-f-]{36}$/);
  await expect(page.locator('.panel .badges li')).toHaveText(['API Design', 'Databases (SQL)', 'Go']);
});

test('the site follows the system dark setting and passes axe in it', async ({ page }, testInfo) => {
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  expect(await background()).toBe('rgb(246, 247, 251)');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background()).toBe('rgb(18, 20, 28)');
  await audit(page, testInfo, 'home-dark');
  await register(page, { name: uniqueName('dark'), next: '/interviews/new' });
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
  await audit(page, testInfo, 'setup-dark');
});

test('the account page: all data downloaded, then the account deleted and signed out', async ({ page }, testInfo) => {
  const name = uniqueName('gone');
  await register(page, { name, next: '/interviews' });
  await createInterview(page, { title: 'To be deleted', interview_type_id: 2, skill_ids: [6], question_count: 3 });
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page).toHaveTitle('Your account · Perfect Pitch');
  await expect(page.locator('.facts')).toContainText(name);
  await audit(page, testInfo, 'account');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download all your data (JSON)' }).click(),
  ]);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.user.username).toBe(name);
  expect(data.interviews.map((i) => i.interview.title)).toEqual(['To be deleted']);

  // Not confirmed: said beside the form, nothing deleted.
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByText('Tick the box to confirm')).toBeVisible();
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByLabel('I understand that everything will be deleted').check();
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/\?deleted=1$/);
  await expect(page.getByText('Your account and everything in it were deleted.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect((await page.request.get('/api/v1/interviews')).status()).toBe(401);
  // And the name cannot sign in any more.
  await page.goto('/signin');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong username or password.')).toBeVisible();
});

test.describe('read from Tokyo', () => {
  test.use({ timezoneId: 'Asia/Tokyo', locale: 'en-GB' });

  test('times are shown in the reader\'s own time zone once the page hydrates', async ({ page }) => {
    await register(page, { name: uniqueName('tz'), next: '/interviews' });
    await createInterview(page, { title: 'Time zones', interview_type_id: 2, skill_ids: [6], question_count: 3 });
    await page.goto('/interviews');
    const time = page.locator('.dates time').first();
    const iso = await time.getAttribute('datetime');
    expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const local = await page.evaluate(
      (at) => new Date(at).toLocaleString('default', { dateStyle: 'medium', timeStyle: 'short' }), iso);
    await expect(time).toHaveText(local);
    // The UTC time stays in the tooltip; Tokyo is nine hours ahead, so the two differ.
    const utc = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
    await expect(time).toHaveAttribute('title', utc);
    expect(local).not.toContain(iso.slice(11, 16));
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('times read as UTC and say so', async ({ page }) => {
    await register(page, { name: uniqueName('utc'), next: '/interviews' });
    await createInterview(page, { title: 'Plain times', interview_type_id: 2, skill_ids: [6], question_count: 3 });
    await page.goto('/interviews');
    await expect(page.locator('.dates time').first()).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  });
});

test('a per-question timer counts down while the question waits, and the report says how long each answer took', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await register(page, { name: uniqueName('timer'), next: '/interviews/new' });
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Title').fill('Timed loop');
  await page.getByLabel('Interview type').selectOption({ label: 'Technical' });
  await page.getByLabel('Number of questions').fill('3');
  await expect(page.getByLabel('Time per answer')).toHaveValue('');
  await page.getByLabel('Time per answer').selectOption({ label: '1 min' });
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page).toHaveURL(/\/interviews\/[0-9a-f-]{36}$/);
  await expect(page.locator('.meta .settings')).toHaveText(/^3 questions · Mixed .* · 1 min per answer$/);
  const id = page.url().split('/').pop();

  await startInterview(page, id);
  const timer = page.getByTestId('answer-timer');
  await expect(timer).toHaveText(/^0:[0-5]\d left for this answer$|^1:00 left for this answer$/);
  const seconds = async () => {
    const [, m, s] = (await timer.textContent()).match(/^(\d+):(\d\d) left/);
    return Number(m) * 60 + Number(s);
  };
  const first = await seconds();
  // It counts down in the page, a second at a time, without asking the server.
  await expect.poll(seconds, { timeout: 5_000 }).toBeLessThanOrEqual(first - 2);
  await audit(page, testInfo, 'interview-timed');

  await page.getByLabel('Your answer').fill(ANSWER);
  await page.getByRole('button', { name: 'Send answer' }).click();
  await expect(page.locator('#live-reply')).toHaveAttribute('data-state', 'idle');
  await page.getByRole('button', { name: 'End interview' }).click();
  await expect(page.getByRole('heading', { name: 'Feedback report' })).toBeVisible();
  await expect(timer).toHaveCount(0);
  await expect(page.locator('.question-report').first().locator('.answer-time'))
    .toHaveText(/^Answered in \d+ s$/);
});
