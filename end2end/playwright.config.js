// Browser tests against the real server: a fresh SQLite file and a free port for every run.
// The config is loaded by the runner and again by each worker; the port and database chosen the
// first time are kept in the environment so that every load agrees.
const { defineConfig } = require('@playwright/test');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

if (!process.env.PP_E2E_PORT) {
  const probe = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  process.env.PP_E2E_PORT = execFileSync(process.execPath, ['-e', probe]).toString().trim();
}
if (!process.env.PP_E2E_DATA) {
  process.env.PP_E2E_DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-e2e-'));
}
const port = process.env.PP_E2E_PORT;
const baseURL = `http://127.0.0.1:${port}`;
// The server binary that `cargo leptos build` made (release by default: what ships).
const serverBin = process.env.PP_SERVER_BIN || path.join(root, 'target', 'release', 'perfect-pitch');

module.exports = defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download cannot reach its host here.
      executablePath: process.env.PP_CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `"${serverBin}"`,
    cwd: root,
    url: `${baseURL}/healthz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PP_ADDR: `127.0.0.1:${port}`,
      PP_DATABASE: path.join(process.env.PP_E2E_DATA, 'e2e.sqlite3'),
      PP_LOG: 'info',
      // Still streamed word by word, just quicker than the default.
      PP_OFFLINE_WORD_DELAY_MS: '5',
    },
  },
});
