// The live interview in a real browser with the offline interviewer: start, the interviewer
// speaks first, answers (Enter sends, Shift+Enter is a new line), an off-topic answer and the
// follow-up that names what the question asked, a hint, a skip, ending early, and the report
// with the key points missed and a strong answer. Driven by the keyboard; hostile text is shown
// as text.
const { test, expect } = require('@playwright/test');
const { createInterview, register, uniqueName } = require('./helpers');

const XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">';
const GOOD = 'For example, at my last job I led the migration of 40 services to a queue because ' +
  'the synchronous calls kept timing out under load. First we measured the worst paths, then ' +
  'we moved them one by one behind a feature flag, so that we could roll back quickly.';

test('a whole interview: start, answer, hint, skip, end, report', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await register(page, { name: uniqueName('live'), next: '/interviews' });
  await expect(page).toHaveURL(/\/interviews$/);

  const { id } = await createInterview(page, {
    title: `Live ${XSS}`, interview_type_id: 1, skill_ids: [1, 2], question_count: 4, difficulty: 'mixed',
  });

  await page.goto(`/interviews/${id}`);
  await expect(page.locator('section.live')).toHaveAttribute('data-hydrated', 'true');
  // The title is text, not markup.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Live ${XSS}`);
  await expect(page.locator('.meta .type')).toHaveText('Technical');
  await expect(page.locator('.panel .badges li')).toHaveText(['JavaScript', 'Python']);
  await expect(page.getByText('You are practising with the offline interviewer')).toBeVisible();
  await expect(page.getByTestId('progress')).toHaveText('4 questions');
  const reply = page.locator('#live-reply');
  await expect(reply).toHaveAttribute('aria-live', 'polite');

  // Start, by keyboard: the interviewer speaks first.
  await page.getByRole('button', { name: 'Start the interview' }).focus();
  await page.keyboard.press('Enter');
  const messages = page.locator('.conversation > li');
  await expect(messages).toHaveCount(1);
  await expect(messages.first()).toContainText('Hello, and welcome to your Technical practice interview');
  await expect(messages.first()).toContainText('JavaScript and Python');
  await expect(page.getByTestId('progress')).toHaveText('Question 1 of 4');
  await expect(page.locator('.meta .status')).toHaveText('In progress');
  await expect(reply).toHaveAttribute('data-state', 'idle');

  // Answer 1: Shift+Enter is a new line, Enter sends; the counter follows the text.
  const box = page.getByLabel('Your answer');
  await expect(page.locator('#answer-count')).toHaveText('0 / 4000');
  await box.focus();
  await page.keyboard.type('First line');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type(`${GOOD} ${XSS}`);
  await expect(box).toHaveValue(new RegExp(`^First line\\n`));
  await expect(page.locator('#answer-count')).not.toHaveText('0 / 4000');
  await page.keyboard.press('Enter');
  await expect(messages).toHaveCount(3);
  await expect(messages.nth(1)).toContainText(XSS);
  // That answer is about something else: the follow-up says so and names what the question
  // asked, and the question stays the same.
  const asked = (await messages.first().textContent()).replace(/^[\s\S]*Question 1 of 4, on [^:]+: /, '').trim();
  await expect(messages.nth(2)).toContainText('That does not seem to answer the question');
  await expect(messages.nth(2)).toContainText(asked);
  await expect(page.getByTestId('progress')).toContainText('Question 1 of 4');
  await expect(box).toHaveValue('');
  await page.getByLabel('Your answer to the follow-up').focus();
  await page.keyboard.type(GOOD);
  await page.keyboard.press('Enter');
  await expect(messages).toHaveCount(5);
  await expect(messages.nth(4)).toContainText('Question 2 of 4');

  // The conversation survives a reload.
  await page.reload();
  await expect(page.locator('section.live')).toHaveAttribute('data-hydrated', 'true');
  await expect(messages).toHaveCount(5);
  await expect(page.getByTestId('progress')).toHaveText('Question 2 of 4');

  // A hint on question 2 — its own hint — then the answer, and the answer to the follow-up.
  await page.getByRole('button', { name: 'Ask for a hint' }).focus();
  await page.keyboard.press('Enter');
  await expect(messages).toHaveCount(7);
  await expect(messages.nth(6)).toContainText('Here is a hint');
  await expect(page.getByRole('button', { name: 'Hint given' })).toBeDisabled();
  await page.getByLabel('Your answer').focus();
  await page.keyboard.type(GOOD);
  await page.keyboard.press('Enter');
  await expect(messages).toHaveCount(9);
  await page.getByLabel('Your answer to the follow-up').focus();
  await page.keyboard.type('I am not sure.');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('progress')).toHaveText('Question 3 of 4');

  // Skip question 3; end during question 4.
  await page.getByRole('button', { name: 'Skip question' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('progress')).toHaveText('Question 4 of 4');
  await page.getByRole('button', { name: 'End interview' }).focus();
  await page.keyboard.press('Enter');

  const report = page.locator('section.report');
  await expect(report.getByRole('heading', { name: 'Feedback report' })).toBeVisible();
  await expect(report.locator('.skill-report')).toHaveCount(2);
  for (const rating of await report.locator('.skill-report .rating').allTextContents()) {
    expect(rating).toMatch(/out of 5|Not rated/);
  }
  const questions = report.locator('.question-report');
  await expect(questions).toHaveCount(4);
  await expect(questions.nth(2)).toContainText('Skipped · not answered');
  await expect(questions.nth(3)).toContainText('Not answered');
  await expect(questions.nth(1)).toContainText('with a hint');
  // The off-topic first answer: rated 1, its key points marked missed, a strong answer shown.
  const first = questions.nth(0);
  await expect(first).toContainText('Answered · 1 out of 5');
  await expect(first).toContainText('does not address the question');
  const points = first.locator('.key-points li');
  expect(await points.count()).toBeGreaterThanOrEqual(3);
  await expect(first.locator('.key-points li.covered')).toHaveCount(0);
  await expect(first.locator('.key-points li.missed')).toHaveCount(await points.count());
  await first.getByText('A strong answer').click();
  await expect(first.locator('.model-answer p')).toBeVisible();
  await expect(report.locator('.skill-report .answered').first()).toContainText(/Answered \d of \d/);
  await expect(page.getByLabel('Your answer')).toHaveCount(0);
  await expect(page.getByTestId('progress')).toHaveText('Finished · 4 of 4 questions asked');

  await expect(page.locator('.meta .status')).toHaveText('Completed');

  // The history finds it by type, skill, status and a word of its title — each alone, and
  // all together in a URL opened fresh.
  const titles = page.locator('.interview-list .interview-title');
  for (const q of ['type=1', 'skill=2', 'status=completed', 'q=Live', 'type=1&skill=1&status=completed&q=live']) {
    await page.goto(`/interviews?${q}`);
    await expect(titles, q).toHaveText([`Live ${XSS}`]);
  }
  await page.goto('/interviews?status=in_progress');
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();

  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  expect(errors).toEqual([]);
});

test('cancelling asks first, keeps the interview on "Keep going", and ends it without a report', async ({ page }) => {
  await register(page, { name: uniqueName('cancel'), next: '/interviews/new' });
  await expect(page.locator('form.setup')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Title').fill('To be cancelled');
  await page.getByLabel('Interview type').selectOption({ label: 'Behavioral' });
  await page.getByRole('button', { name: 'Create interview' }).click();
  await expect(page).toHaveURL(/\/interviews\/[0-9a-f-]{36}$/);
  await expect(page.locator('section.live')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Start the interview' }).click();
  await expect(page.getByTestId('progress')).toHaveText(/Question 1 of \d+/);
  await expect(page.locator('#live-reply')).toHaveAttribute('data-state', 'idle');

  // The first press only asks; the safe choice has the focus, and Enter keeps the interview.
  await page.getByRole('button', { name: 'Cancel without a report' }).click();
  const confirm = page.getByRole('group', { name: /Cancel this interview\?/ });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Keep going' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toHaveCount(0);
  await expect(page.locator('.meta .status')).toHaveText('In progress');
  // Escape backs out too.
  await page.getByRole('button', { name: 'Cancel without a report' }).click();
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(page.locator('.meta .status')).toHaveText('In progress');

  // Confirmed: cancelled, no report, no answer box — also after a reload.
  await page.getByRole('button', { name: 'Cancel without a report' }).click();
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByText('This interview was cancelled, so it has no report.')).toBeVisible();
  await page.reload();
  await expect(page.locator('.meta .status')).toHaveText('Cancelled');
  await expect(page.getByLabel('Your answer')).toHaveCount(0);
  await expect(page.locator('section.report')).toHaveCount(0);
});
