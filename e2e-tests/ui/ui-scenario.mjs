// UiIT's browser half: drives the web UI in Debian's chromium (headless) through playwright-core and
// prints one JSON object with what it saw on stdout; UiIT asserts on it. Progress goes to stderr.
//
// Environment: UI_URL (the page, with #key=... in the fragment), UI_IMAGES (a JSON array of
// {"path": "...", "label": "Dog"}: the label is expected on that image and not on the others), CHROMIUM
// (the browser's executable), SCREENSHOTS (a directory), JOB_TIMEOUT_MS (default 240000), UI_FLAG_LABEL (a
// label: the job answer of the image that has it is given moderation labels on its way to the page, as an
// answer for a flagged image would carry them; no sample photo is unsafe, so the real engine flags none).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const uiUrl = process.env.UI_URL;
const images = JSON.parse(process.env.UI_IMAGES || '[]');
const screenshots = process.env.SCREENSHOTS || 'screenshots';
const jobTimeout = Number(process.env.JOB_TIMEOUT_MS || 240000);
const flagLabel = process.env.UI_FLAG_LABEL || '';
const key = decodeURIComponent((/#key=([^&]*)/.exec(uiUrl) || [])[1] || '');

const result = { steps: [], consoleErrors: [], pageErrors: [], screenshots: [] };
const log = (text) => process.stderr.write(`ui-scenario: ${text}\n`);
mkdirSync(screenshots, { recursive: true });
rmSync(join(screenshots, 'failure.png'), { force: true });

let browser;
let page;

async function shot(name) {
  const file = join(screenshots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
}

async function step(name, action) {
  log(name);
  await action();
  result.steps.push(name);
}

try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    headless: true,
    // As root (CI) Chromium's sandbox cannot start; the page is our own.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
      ...(process.env.NETLOG ? [`--log-net-log=${process.env.NETLOG}`] : [])],
  });
  result.browserVersion = browser.version();
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') {
      result.consoleErrors.push(m.text());
    }
  });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  // Listening from the start makes Chromium hand file choosers to us before any key is pressed.
  let chooserOpened;
  const chooserSeen = new Promise((resolve) => { chooserOpened = resolve; });
  page.on('filechooser', (chooser) => chooserOpened(chooser));
  // The page's traffic, for the log (browser.log): what was asked, what came back, what failed.
  const hide = (url) => (key ? url.replaceAll(key, '<key>') : url);
  page.on('requestfailed', (r) => log(`request failed: ${r.method()} ${hide(r.url())}: ${r.failure()?.errorText}`));
  page.on('request', (r) => {
    if (r.method() !== 'GET') {
      log(`sent ${r.method()} ${hide(r.url())}`);
    }
  });
  page.on('response', (r) => {
    if (!/\/v1\/jobs\/[^/?]+$/.test(r.url()) || r.status() !== 200) {
      log(`${r.status()} ${r.request().method()} ${hide(r.url())}`);
    }
  });
  page.on('console', (m) => log(`console ${m.type()}: ${hide(m.text())}`));
  const requestsWithKeyInUrl = [];
  page.on('request', (r) => {
    const sent = new URL(r.url());
    sent.hash = ''; // a fragment never leaves the browser
    if (key && (sent.href.includes(key) || sent.href.includes(encodeURIComponent(key)))) {
      requestsWithKeyInUrl.push(sent.href.replace(key, '<key>'));
    }
  });
  result.requestsWithKeyInUrl = requestsWithKeyInUrl;
  // The real answer for the job whose image has flagLabel, plus moderation labels: the real moderation
  // labels it had are kept in the result for UiIT to check.
  result.flagged = [];
  await page.route(/\/v1\/jobs\/[^/?]+$/, async (route) => {
    const response = await route.fetch();
    if (!flagLabel || route.request().method() !== 'GET' || response.status() !== 200) {
      await route.fulfill({ response });
      return;
    }
    const view = await response.json();
    if (view.status === 'SUCCEEDED' && (view.labels || []).some((l) => l.Name === flagLabel)) {
      if (!result.flagged.some((f) => f.jobId === view.jobId)) {
        result.flagged.push({ jobId: view.jobId, realModerationLabels: view.moderationLabels ?? null });
      }
      view.moderationLabels = [
        { Confidence: 88.0, Name: 'Explicit', ParentName: '', TaxonomyLevel: 1 },
        { Confidence: 88.0, Name: 'Explicit Nudity', ParentName: 'Explicit', TaxonomyLevel: 2 },
      ];
    }
    await route.fulfill({ response, json: view });
  });

  await step('open the page with the key in the fragment', async () => {
    await page.goto(uiUrl);
    await page.waitForSelector('#main:not([hidden])', { timeout: 30000 });
    result.urlAfterLoad = page.url().replace(key, '<key>');
    result.fragmentRemoved = !page.url().includes('#') && !page.url().includes(key);
    result.keyInSessionStorage = await page.evaluate((k) => sessionStorage.getItem('imagerec.apiKey') === k, key);
    // Set once; still there at the end means the page was never reloaded.
    await page.evaluate(() => { window.uiItNoReload = true; });
    await page.waitForFunction(() => document.querySelector('#live-mode').dataset.mode !== 'connecting',
      null, { timeout: 30000 }).catch(() => {});
    result.liveMode = await page.getAttribute('#live-mode', 'data-mode');
  });

  await step('choose the images through the drop zone, with the keyboard', async () => {
    await page.focus('#drop-zone');
    result.dropZoneFocusable = await page.evaluate(() => document.activeElement.id === 'drop-zone');
    await page.keyboard.press('Enter');
    const chooser = await Promise.race([chooserSeen, new Promise((resolve, reject) => setTimeout(
      () => reject(new Error('Enter on the drop zone opened no file chooser within 15 s')), 15000))]);
    result.chooserMultiple = chooser.isMultiple();
    await chooser.setFiles(images.map((i) => i.path));
    await page.waitForFunction((n) => document.querySelectorAll('#uploads li[data-state="accepted"]').length >= n
      || document.querySelector('#uploads li[data-state="failed"]'), images.length, { timeout: jobTimeout });
    result.uploads = await page.$$eval('#uploads li', (items) => items.map((li) => ({
      file: li.dataset.file,
      state: li.dataset.state,
      text: li.querySelector('.state').textContent,
      progress: li.querySelector('progress').value,
    })));
    await shot('01-uploaded');
  });

  await step('both jobs turn SUCCEEDED in the live list', async () => {
    await page.waitForFunction((n) => {
      const rows = [...document.querySelectorAll('#jobs tr')];
      return rows.filter((r) => r.dataset.status === 'SUCCEEDED').length >= n
        || rows.some((r) => r.dataset.status === 'FAILED');
    }, images.length, { timeout: jobTimeout, polling: 250 });
    result.jobs = await page.$$eval('#jobs tr', (rows) => rows.map((r) => ({
      jobId: r.dataset.jobId, status: r.dataset.status, name: r.cells[0].textContent,
    })));
    result.announcement = await page.textContent('#announcer');
  });

  await step('the gallery shows both images with boxes and labels', async () => {
    await page.waitForFunction((n) => {
      const cards = [...document.querySelectorAll('#gallery > li.card')];
      return cards.length >= n && cards.every((c) => {
        const img = c.querySelector('img');
        return img && img.complete && img.naturalWidth > 0;
      });
    }, images.length, { timeout: 60000, polling: 250 });
    // A flagged image is blurred, its boxes hidden, under a note naming the category, until shown.
    result.flaggedCards = await page.$$eval('#gallery > li.card', (cards) => cards.map((c) => ({
      jobId: c.dataset.jobId,
      flagged: c.querySelector('.frame').classList.contains('flagged'),
      imageFilter: getComputedStyle(c.querySelector('img')).filter,
      visibleBoxes: [...c.querySelectorAll('.box')].filter((b) => b.getClientRects().length > 0).length,
      cover: c.querySelector('.cover p')?.textContent ?? null,
    })));
    await shot('02-gallery-flagged');
    for (const button of await page.$$('#gallery .show-flagged')) {
      await button.click();
    }
    result.flaggedAfterShow = await page.$$eval('#gallery .frame.flagged', (frames) => frames.length);
    result.cards = await page.$$eval('#gallery > li.card', (cards) => cards.map((c) => {
      const img = c.querySelector('img');
      const frame = c.querySelector('.frame').getBoundingClientRect();
      return {
        jobId: c.dataset.jobId,
        imageId: c.dataset.imageId,
        title: c.querySelector('.title').textContent,
        alt: img.alt,
        imageLoaded: img.complete && img.naturalWidth > 0,
        imageFromObjectUrl: img.src.startsWith('blob:'),
        naturalWidth: img.naturalWidth,
        labels: [...c.querySelectorAll('.chip')].map((b) => b.dataset.label),
        chipText: [...c.querySelectorAll('.chip')].map((b) => b.textContent),
        boxes: [...c.querySelectorAll('.box')].map((b) => {
          const r = b.getBoundingClientRect();
          return {
            kind: b.dataset.kind,
            name: b.dataset.name,
            // Where the box is drawn, as a share of the image as it is shown.
            left: (r.left - frame.left) / frame.width,
            top: (r.top - frame.top) / frame.height,
            width: r.width / frame.width,
            height: r.height / frame.height,
          };
        }),
      };
    }));
    await shot('02-gallery');
  });

  const first = images[0];
  const firstCard = (result.cards || []).find((c) => c.title.endsWith(first.path.split('/').pop()));
  await step(`a click on the label ${first.label} narrows the gallery`, async () => {
    if (!firstCard) {
      throw new Error(`no card for ${first.path}`);
    }
    await page.click(`#gallery li.card[data-job-id="${firstCard.jobId}"] .chip[data-label="${first.label}"]`);
    await page.waitForFunction(() => !document.querySelector('#filter-bar').hidden
      && document.querySelectorAll('#gallery > li.card').length > 0, null, { timeout: 30000 });
    await page.waitForFunction((n) => document.querySelectorAll('#gallery > li.card').length < n, images.length,
      { timeout: 30000 }).catch(() => {});
    result.filter = {
      label: first.label,
      shownJobs: await page.$$eval('#gallery > li.card', (cards) => cards.map((c) => c.dataset.jobId)),
      filterName: await page.textContent('#filter-name'),
      chipPressed: await page.getAttribute(`#gallery li.card[data-job-id="${firstCard.jobId}"] .chip[data-label="${first.label}"]`, 'aria-pressed'),
    };
    await shot('03-filtered');
  });

  await step('the detail view shows the raw JSON', async () => {
    await page.click(`#gallery li.card[data-job-id="${firstCard.jobId}"] .details`);
    await page.waitForSelector('#detail[open]', { timeout: 10000 });
    const text = await page.textContent('#detail-json');
    const parsed = JSON.parse(text);
    result.detail = {
      jobId: parsed.jobId,
      status: parsed.status,
      labelNames: (parsed.labels || []).map((l) => l.Name),
      // Text only: no element was made from the API's data.
      jsonElementChildren: await page.$eval('#detail-json', (pre) => pre.children.length),
      boxesInDetail: await page.$$eval('#detail .box', (boxes) => boxes.length),
      title: await page.textContent('#detail-title'),
    };
    await shot('04-detail');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#detail[open]', { state: 'detached', timeout: 5000 }).catch(() => {});
    result.detail.closedByEscape = (await page.$('#detail[open]')) === null;
    result.detail.focusReturnedToDetails = await page.evaluate(() => document.activeElement
      && document.activeElement.classList.contains('details'));
  });

  await step('show all again', async () => {
    await page.click('#clear-filter');
    await page.waitForFunction((n) => document.querySelectorAll('#gallery > li.card').length >= n, images.length,
      { timeout: 10000 });
    result.afterClear = await page.$$eval('#gallery > li.card', (cards) => cards.length);
    result.neverReloaded = await page.evaluate(() => window.uiItNoReload === true);
  });
  result.ok = true;
} catch (e) {
  result.ok = false;
  result.error = String(e && e.stack ? e.stack : e).replaceAll(key || '\u0000', '<key>');
  log(`failed: ${result.error}`);
  if (page) {
    await shot('failure').catch(() => {});
  }
} finally {
  if (browser) {
    await browser.close().catch(() => {});
  }
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.ok ? 0 : 1);
