// What a browser downloads to make each page work when it is the first page opened (nothing
// cached): the page, its stylesheet, and every script and wasm file Chromium fetches for it — the main bundle and the lazy
// parts its islands load — in bytes on the wire (brotli). Run by scripts/bench-size.sh:
//
//   node end2end/wire-sizes.js http://127.0.0.1:PORT
//
// Prints one line per page and state, as JSON, for the script to tabulate.
const { chromium } = require('@playwright/test');
const config = require('./playwright.config.js');

const base = process.argv[2];
const launch = config.use.launchOptions;

async function main() {
  const browser = await chromium.launch(launch);
  // An account and interviews in three states, made once in their own browser context.
  const setup = await browser.newContext({ baseURL: base });
  const name = `sizes${Date.now() % 1000000}`;
  const register = await setup.request.post('/auth/register', {
    form: { username: name, password: 'Bench-marks 4 bytes' },
  });
  if (!register.ok()) throw new Error(`register: ${register.status()}`);
  const create = async (title) => {
    const r = await setup.request.post('/api/v1/interviews', {
      data: { title, interview_type_id: 1, skill_ids: [1, 2] },
    });
    if (r.status() !== 201) throw new Error(`create: ${r.status()} ${await r.text()}`);
    return (await r.json()).id;
  };
  const pending = await create('Not started');
  const started = await create('In progress');
  const finished = await create('Finished');
  const page = await setup.newPage();
  for (const id of [started, finished]) {
    await page.goto(`/interviews/${id}`);
    await page.locator('section.live[data-hydrated="true"]').waitFor();
    await page.getByRole('button', { name: 'Start the interview' }).click();
    await page.getByTestId('progress').filter({ hasText: /^Question 1 of/ }).waitFor();
  }
  await page.getByRole('button', { name: 'End interview' }).click();
  await page.locator('section.report').waitFor();
  const cookies = await setup.cookies();

  const pages = [
    ['/', '/'],
    ['/interviews', '/interviews'],
    ['/interviews/new', '/interviews/new'],
    [`/interviews/${pending}`, '/interviews/{id} not started'],
    [`/interviews/${started}`, '/interviews/{id} in progress'],
    [`/interviews/${finished}`, '/interviews/{id} finished'],
    ['/progress', '/progress'],
    ['/account', '/account'],
  ];
  for (const [path, label] of pages) {
    // A new context each time: an empty cache, as for a first visit.
    // Chromium asks for brotli only over HTTPS; a site served to the public is, so ask as it would.
    const context = await browser.newContext({
      baseURL: base,
      extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip' },
    });
    await context.addCookies(cookies);
    const tab = await context.newPage();
    const fetched = [];
    tab.on('requestfinished', (request) => fetched.push(request));
    await tab.goto(path, { waitUntil: 'networkidle' });
    // Islands hydrate and load their parts after the load event; wait for every island.
    await tab.waitForFunction(() => {
      const islands = [...document.querySelectorAll('leptos-island')];
      return islands.every((i) => i.querySelector('[data-hydrated="true"]') || !i.querySelector('[data-hydrated]'));
    });
    await tab.waitForLoadState('networkidle');
    const sizes = { path: label, html: 0, css: 0, js: 0, wasm: 0, files: [] };
    for (const request of fetched) {
      const url = new URL(request.url());
      const type = request.resourceType();
      const kind = url.pathname.endsWith('.wasm') ? 'wasm'
        : type === 'script' ? 'js'
        : type === 'stylesheet' ? 'css'
        : type === 'document' ? 'html'
        : null;
      if (!kind) continue;
      const { responseBodySize } = await request.sizes();
      const encoding = (await request.response()).headers()['content-encoding'] ?? 'none';
      sizes[kind] += responseBodySize;
      sizes.files.push(`${url.pathname.split('/').pop()} ${responseBodySize} ${encoding}`);
    }
    console.log(JSON.stringify(sizes));
    await context.close();
  }
  await browser.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
