// The interview page when the model server misbehaves, in a real browser. This file starts its
// own app server, configured with the OpenAI-compatible interviewer, against a local mock that
// speaks the chat-completions streaming protocol over real HTTP and fails when told to.
const { test, expect } = require('@playwright/test');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const serverBin = process.env.PP_SERVER_BIN || path.join(root, 'target', 'release', 'perfect-pitch');
const PASSWORD = 'correct horse battery staple';

// ---- the mock model server: each request takes the next scripted behaviour
const scripts = [];
const chunk = (content, finish) => `data: ${JSON.stringify({
  id: 'chatcmpl-mock',
  object: 'chat.completion.chunk',
  created: 1700000000,
  model: 'mock-model',
  choices: [{ index: 0, delta: content === null ? {} : { role: 'assistant', content }, finish_reason: finish }],
})}\n\n`;
const mock = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    const script = scripts.shift() || { kind: 'say', text: 'Thank you for that answer. So, what is a closure?' };
    if (script.kind === 'status') {
      res.writeHead(script.code, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error', param: null, code: null } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const words = script.text.split(/(?<= )/);
    for (const w of words) res.write(chunk(w, null));
    if (script.kind === 'cut') {
      // Mid-stream, with no finish reason and no [DONE]: the connection breaks a moment after
      // the words went out.
      setTimeout(() => res.destroy(), 50);
      return;
    }
    res.write(chunk(null, 'stop'));
    res.end('data: [DONE]\n\n');
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
  const mockPort = await listen(mock);
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
      PP_OPENAI_BASE_URL: `http://127.0.0.1:${mockPort}/v1`,
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
  await new Promise((ok) => mock.close(ok));
});

test('a failed reply says why, keeps the answer, and "Try again" sends it once', async ({ page }) => {
  await page.goto(`${base}/register?next=%2Finterviews`);
  await page.getByLabel('Username').fill(`model${Date.now() % 1000000}`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/interviews$/);
  const created = await page.request.post(`${base}/fn/setup_interview`, {
    form: {
      'input[title]': 'Model trouble',
      'input[interview_type_id]': '1',
      'input[skill_ids][0]': '1',
      'input[question_count]': '3',
      'input[difficulty]': 'mixed',
    },
  });
  const id = (await created.json()).Saved.id;
  await page.goto(`${base}/interviews/${id}`);
  await expect(page.locator('section.live')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('.interviewer')).toHaveText('Interviewer: mock-model');
  await expect(page.getByText('You are practising with the offline interviewer')).toHaveCount(0);

  // The start fails with an error status: a clear message, a retry, and nothing started.
  scripts.push({ kind: 'status', code: 500 });
  await page.getByRole('button', { name: 'Start the interview' }).click();
  const alert = page.locator('.turn-error[role=alert]');
  await expect(alert).toContainText('answered with an error (500)');
  await expect(page.locator('.conversation > li')).toHaveCount(0);
  await expect(page.locator('.meta .status')).toHaveText('Not started');
  scripts.push({ kind: 'say', text: 'Hello and welcome. Question 1 of 3: what is a closure?' });
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
  scripts.push({ kind: 'cut', text: 'Thank you, that is a' });
  await page.getByLabel('Your answer').fill(answer);
  await page.getByRole('button', { name: 'Send answer' }).click();
  await expect(alert).toContainText('was cut off');
  await expect(messages).toHaveCount(1);
  await expect(page.getByLabel('Your answer')).toHaveValue(answer);
  await expect(page.locator('#live-reply')).toHaveAttribute('data-state', 'idle');

  // Try again: the answer is taken once and the reply is stored whole, also after a reload.
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
