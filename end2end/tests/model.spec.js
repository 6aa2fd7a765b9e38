// The interview page when the model server misbehaves, in a real browser. This file starts its
// own app server, configured with the OpenAI-compatible interviewer, against a local mock that
// speaks the chat-completions streaming protocol over real HTTP and fails when told to.
const { test, expect } = require('@playwright/test');
const { register, uniqueName } = require('./helpers');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const serverBin = process.env.PP_SERVER_BIN || path.join(root, 'target', 'release', 'perfect-pitch');

// ---- the mock model server: the Rust one (server/examples/mock_model.rs), built by
// `cargo test -p server` or `cargo build -p server --example mock_model`. Each request to it
// takes the next behaviour queued here.
const mockBin = process.env.PP_MOCK_MODEL_BIN || path.join(root, 'target', 'debug', 'examples', 'mock_model');
let mock;
let mockBase;
const script = async (behaviour) => {
  const r = await fetch(`${mockBase}/scripts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(behaviour),
  });
  if (r.status !== 204) throw new Error(`the mock refused ${JSON.stringify(behaviour)}: ${r.status}`);
};
const startMock = () => new Promise((ok, fail) => {
  mock = spawn(mockBin, [], { stdio: ['ignore', 'pipe', 'inherit'] });
  mock.on('error', fail);
  let out = '';
  mock.stdout.on('data', (d) => {
    out += d;
    const line = out.split('\n')[0];
    if (out.includes('\n')) ok(line.trim());
  });
});

let app;
let base;
const listen = (server) => new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server.address().port)));
const freePort = async () => {
  const s = http.createServer();
  const port = await listen(s);
  await new Promise((ok) => s.close(ok));
  return port;
};

test.beforeAll(async () => {
  const mockUrl = await startMock(); // http://127.0.0.1:PORT/v1
  mockBase = mockUrl.replace(/\/v1$/, '');
  const port = await freePort();
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-e2e-model-'));
  app = spawn(serverBin, [], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      PP_ADDR: `127.0.0.1:${port}`,
      PP_DATABASE: path.join(data, 'model.sqlite3'),
      PP_LOG: 'warn',
      PP_INTERVIEWER: 'openai',
      PP_OPENAI_BASE_URL: mockUrl,
      PP_OPENAI_MODEL: 'mock-model',
      PP_OPENAI_API_KEY: 'test-key',
      PP_MODEL_TIMEOUT_SECS: '5',
    },
  });
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch (_) { /* not listening yet */ }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error('the app server with the model interviewer did not start');
});

test.afterAll(async () => {
  if (app) app.kill('SIGTERM');
  if (mock) mock.kill('SIGTERM');
});

test('a failed reply says why, keeps the answer, and "Try again" sends it once', async ({ page }) => {
  await register(page, { name: uniqueName('model'), next: '/interviews', base });
  await expect(page).toHaveURL(/\/interviews$/);
  // Created through the JSON API with the page's own session.
  const created = await page.request.post(`${base}/api/v1/interviews`, {
    data: { title: 'Model trouble', interview_type_id: 1, skill_ids: [1], question_count: 3, difficulty: 'mixed' },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  await page.goto(`${base}/interviews/${id}`);
  await expect(page.locator('section.live')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('.interviewer')).toHaveText('Interviewer: mock-model');
  await expect(page.getByText('You are practising with the offline interviewer')).toHaveCount(0);

  // The start fails with an error status: a clear message, a retry, and nothing started.
  await script({ status: 500 });
  await page.getByRole('button', { name: 'Start the interview' }).click();
  const alert = page.locator('.turn-error[role=alert]');
  await expect(alert).toContainText('answered with an error (500)');
  await expect(page.locator('.conversation > li')).toHaveCount(0);
  await expect(page.locator('.meta .status')).toHaveText('Not started');
  await script({ say: 'Hello and welcome. Question 1 of 3: what is a closure?' });
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(alert).toHaveCount(0);
  const messages = page.locator('.conversation > li');
  await expect(messages).toHaveCount(1);
  await expect(messages.first()).toContainText('Hello and welcome.');
  // The model's own question is not shown; the server asks the planned one.
  await expect(messages.first()).not.toContainText('what is a closure?');
  await expect(messages.first()).toContainText('Question 1 of 3, on');
  await expect(page.locator('#live-reply')).toHaveAttribute('data-state', 'idle');

  // An answer whose reply is cut off midway: no half reply is kept, the answer comes back to
  // the box, and the conversation is as before.
  const answer = 'A closure is a function together with the variables it captured, for example a counter.';
  await script({ cut: 'Thank you, that is a' });
  await page.getByLabel('Your answer').fill(answer);
  await page.getByRole('button', { name: 'Send answer' }).click();
  await expect(alert).toContainText('was cut off');
  await expect(messages).toHaveCount(1);
  await expect(page.getByLabel('Your answer')).toHaveValue(answer);
  await expect(page.locator('#live-reply')).toHaveAttribute('data-state', 'idle');

  // Try again: the answer is taken once and the reply is stored whole, also after a reload.
  await script({ say: 'Thank you for that answer. So, what is a closure?' });
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(messages).toHaveCount(3);
  await expect(messages.nth(1)).toContainText(answer);
  await expect(messages.nth(2)).toContainText('Thank you for that answer.');
  await expect(messages.nth(2)).not.toContainText('what is a closure?');
  await page.reload();
  await expect(messages).toHaveCount(3);
  // The answer was short, so the server chose a follow-up on the same question.
  await expect(page.getByTestId('progress')).toHaveText('Question 1 of 3');
  await expect(page.getByLabel('Your answer to the follow-up')).toBeVisible();
});
