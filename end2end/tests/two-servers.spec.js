// A whole interview through two app servers on one PostgreSQL database, behind a small load
// balancer (a few lines of Node here) that sends each request to the other server in turn: the
// session, the turns, the reply stream and the report must work whichever server answers.
// Runs when PP_E2E_POSTGRES names an empty database and the server binary was built with the
// `postgres` feature (scripts/test.sh does both).
const { test, expect } = require('@playwright/test');
const { register, uniqueName } = require('./helpers');
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const serverBin = process.env.PP_SERVER_BIN || path.join(root, 'target', 'release', 'perfect-pitch');
const database = process.env.PP_E2E_POSTGRES;

const listen = (server, port = 0) =>
  new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server.address().port)));
const freePort = async () => {
  const s = http.createServer();
  const port = await listen(s);
  await new Promise((ok) => s.close(ok));
  return port;
};

const apps = [];
const served = [0, 0];
let balancer;
let base;

// Each request to the other server in turn; bodies and answers (the reply stream too) are
// piped through as they come.
const startBalancer = async (ports) => {
  let next = 0;
  balancer = http.createServer((req, res) => {
    const n = next;
    next = (next + 1) % ports.length;
    served[n] += 1;
    const upstream = http.request(
      { host: '127.0.0.1', port: ports[n], method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  return listen(balancer);
};

test.describe('two app servers on one PostgreSQL database', () => {
  test.skip(!database, 'PP_E2E_POSTGRES is not set (scripts/test.sh sets it)');

  test.beforeAll(async () => {
    const ports = [await freePort(), await freePort()];
    for (const [n, port] of ports.entries()) {
      apps.push(spawn(serverBin, [], {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          PP_ADDR: `127.0.0.1:${port}`,
          PP_DATABASE: database,
          PP_NODE_ID: `web-${n + 1}`,
          PP_LOG: 'warn',
        },
      }));
      let up = false;
      for (let i = 0; i < 200 && !up; i++) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          up = r.ok && (await r.json()).store === 'postgres';
        } catch (_) { /* not listening yet */ }
        if (!up) await new Promise((ok) => setTimeout(ok, 100));
      }
      if (!up) throw new Error(`app server ${n + 1} did not start on PostgreSQL`);
    }
    base = `http://127.0.0.1:${await startBalancer(ports)}`;
  });

  test.afterAll(async () => {
    for (const app of apps) app.kill('SIGTERM');
    if (balancer) balancer.close();
  });

  test('a whole interview, each request to the other server', async ({ page }) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await register(page, { name: uniqueName('lb'), next: '/interviews', base });
    await expect(page).toHaveURL(/\/interviews$/);
    const created = await page.request.post(`${base}/api/v1/interviews`, {
      data: { title: 'Behind a balancer', interview_type_id: 1, skill_ids: [1, 2], question_count: 3, difficulty: 'mixed' },
    });
    expect(created.status()).toBe(201);
    const { id } = await created.json();

    await page.goto(`${base}/interviews/${id}`);
    await expect(page.locator('section.live')).toHaveAttribute('data-hydrated', 'true');
    await page.getByRole('button', { name: 'Start the interview' }).click();
    const messages = page.locator('.conversation > li');
    await expect(messages).toHaveCount(1);
    await expect(page.getByTestId('progress')).toHaveText('Question 1 of 3');

    // An answer, then the rest skipped and the interview ended: each turn's reply is
    // followed from whichever server the stream request reached.
    const answer = 'For example, at my last job I split a slow endpoint into a queue and a worker, ' +
      'measured the latency before and after, and rolled it out behind a flag.';
    await page.getByLabel('Your answer').fill(answer);
    await page.getByRole('button', { name: 'Send answer' }).click();
    await expect(messages.nth(1)).toContainText('split a slow endpoint');
    await expect(messages).toHaveCount(3);
    const progress = page.getByTestId('progress');
    for (let n = 1; n < 3; n++) {
      const now = await progress.textContent();
      if (now.includes(`Question ${n + 1} of 3`)) continue;
      await page.getByRole('button', { name: 'Skip question' }).click();
      await expect(progress).toHaveText(`Question ${n + 1} of 3`);
    }
    await page.getByRole('button', { name: 'End interview' }).click();
    const shown = page.locator('section.report');
    await expect(shown.getByRole('heading', { name: 'Feedback report' })).toBeVisible();
    await expect(shown.locator('.question-report')).toHaveCount(3);
    // The same report from either server.
    for (let k = 0; k < 2; k++) {
      await page.goto(`${base}/interviews/${id}`);
      await expect(page.locator('.meta .status')).toHaveText('Completed');
      await expect(page.locator('section.report .question-report')).toHaveCount(3);
    }
    const report = await page.request.get(`${base}/interviews/${id}/report.md`);
    expect(report.status()).toBe(200);
    expect(await report.text()).toContain('Behind a balancer');
    // Both servers answered, and the page ran without errors.
    expect(served[0]).toBeGreaterThan(5);
    expect(served[1]).toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });
});
