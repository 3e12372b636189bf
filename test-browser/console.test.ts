import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { type StartedConsole, startConsole } from '../console/server';
import { createReadingGenerator } from '../model';
import { runProducer } from '../producer';
import { createQueryEngine, type QueryEngine } from '../query';
import { post, startTestPipeline, type TestPipeline } from '../test/emulator/helpers';
import { chromiumPath, hasChromium, launchChromium } from './chromium';

// A real Chromium (Debian's, driven by playwright-core) against the real embedded pipeline.
jest.setTimeout(90_000);

/** Where the screenshots of the main views go (git-ignored; docs/console.png is one of them). */
const screenshots = path.join(__dirname, 'screenshots');
const READINGS = 300;
/** Runs in the page (as text: this file is type-checked without the DOM's types). */
const CHART_HAS_READINGS_LINE = `(() => {
  const canvas = document.querySelector('#chart-throughput canvas');
  const context = canvas && canvas.getContext('2d');
  if (!context) return false;
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  let blue = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - 37) < 20 && Math.abs(data[i + 1] - 99) < 20 && Math.abs(data[i + 2] - 235) < 20) blue += 1;
  }
  return blue > 50;
})()`;

describe('the console in Chromium, while the producer sends readings', () => {
  let t: TestPipeline;
  let web: StartedConsole;
  let sql: QueryEngine;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!hasChromium()) {
      throw new Error(
        `The browser tests need Chromium at ${chromiumPath} and it is not there. Run ` +
          "`bash scripts/provision-chromium.sh` as root (installs Debian's chromium), or set " +
          'CHROMIUM_PATH to a Chromium executable, then re-run `npm run test:browser`.',
      );
    }
    await mkdir(screenshots, { recursive: true });
    profile = await mkdtemp(path.join(os.tmpdir(), 'console-chromium-'));
    // A wide usage plan: the console's counts are under test, not the throttle's 429s.
    t = await startTestPipeline({ throttle: { rateLimit: 100_000, burstLimit: 100_000 } });
    // The kit's own SQL engine (DuckDB over the objects the emulator stored), as npm run dev uses.
    sql = await createQueryEngine({
      kind: 'embedded',
      dataDir: t.pipeline.dataDir,
      bucket: t.pipeline.bucket,
    });
    web = await startConsole({ pipeline: t.pipeline, queryRunner: sql, faults: t.pipeline.faults });
    // A fresh profile each run (its own user-data-dir), so nothing from an earlier run is reused.
    browser = await launchChromium(profile);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(web.url);
    await page.locator('#connection[data-state="live"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await sql?.close();
    await t?.dispose();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('shows where the pipeline is, the API key masked', async () => {
    await expectText('#api-url', t.pipeline.apiUrl);
    const key = t.pipeline.apiKey;
    await expectText('#api-key', `${key.slice(0, 4)}…${key.slice(-4)}`);
    expect(await page.content()).not.toContain(key);
  });

  it('counts and charts the readings the producer sends', async () => {
    const summary = await runProducer({
      apiUrl: t.pipeline.apiUrl,
      apiKey: t.pipeline.apiKey,
      nEvents: READINGS,
      nWorkers: 4,
      rate: 100,
      maxDelay: 0,
    });
    expect(summary.acked).toBe(READINGS);
    await expectText('#total-readings', String(READINGS));
    await expectText('#total-requests', String(READINGS));
    await page.locator('#p99').filter({ hasText: /\d ms/ }).waitFor();
    // The readings/s line is drawn: the chart's canvas has pixels of its colour (#2563eb).
    await page.waitForFunction(CHART_HAS_READINGS_LINE);
    // The stored objects came into their panel as they were stored, with no click.
    await page.locator('#objects li[data-key]').first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'console.png'), fullPage: true });
  });

  it('lists a bad request with the field error the API answered', async () => {
    const next = createReadingGenerator({ seed: 3 });
    const response = await post(t.pipeline, {
      body: JSON.stringify({ ...next(), temperature: 'warm' }),
    });
    expect(response.status).toBe(400);
    const row = page.locator('#requests tbody tr[data-status="400"]').first();
    await row.waitFor();
    await expectText('#requests tbody tr[data-status="400"] .field-error', 'temperature');
    expect(await row.locator('.field-error').textContent()).toMatch(
      /^temperature: temperature must be a finite JSON number/,
    );
    await page.locator('#errors-only').check();
    expect(await page.locator('#requests tbody tr').count()).toBe(1);
    await page
      .locator('#requests-panel')
      .screenshot({ path: path.join(screenshots, 'requests.png') });
  });

  it('shows a stored object as stored when clicked', async () => {
    await page.locator('#refresh-objects').click();
    await expectText('#objects-note', `of ${READINGS} in events/dt=`);
    const first = page.locator('#objects li').first();
    await first.waitFor();
    const key = await first.getAttribute('data-key');
    await first.click();
    await expectText('#object-key', key ?? '');
    await expectText('#object-content-type', 'application/json');
    const body = JSON.parse((await page.locator('#object-body').textContent()) ?? '');
    expect(body).toMatchObject({ ingestion_source: 'aws-api' });
    expect(key).toContain(`/${body.id}.json`);
    await page
      .locator('#objects-panel')
      .screenshot({ path: path.join(screenshots, 'objects.png') });
  });

  it('runs a SQL query and shows its rows', async () => {
    await page.locator('#sql').fill('SELECT * FROM push_pipeline.events LIMIT 5');
    await page.locator('#sql-run').click();
    await expectText('#sql-note', '5 row(s)');
    expect(await page.locator('#sql-result tbody tr').count()).toBe(5);
    expect(await page.locator('#sql-result thead th').allInnerTexts()).toContain('temperature');
    // The engine's answer to an aggregate, against what the stored objects hold.
    await page
      .locator('#sql')
      .fill('SELECT count(*) AS n FROM push_pipeline.events WHERE temp_group IS NOT NULL');
    await page.locator('#sql-run').click();
    await expectText('#sql-note', '1 row(s)');
    const stored = (await sql.query('SELECT count(*) AS n FROM push_pipeline.events')).rows[0]?.n;
    expect(Number(stored)).toBeGreaterThan(0);
    expect(await page.locator('#sql-result tbody td').first().textContent()).toBe(String(stored));
    await page.locator('#sql-panel').screenshot({ path: path.join(screenshots, 'sql.png') });
  });

  it('shows the faults that are on and switches one off', async () => {
    // The emulator's own fault control, as npm run dev hands it to the console.
    const { faults } = t.pipeline;
    faults.add('s3.put:503@0.5');
    faults.add('gateway:200ms');
    await page.locator('#faults li').nth(1).waitFor();
    await page.locator('#faults-panel').screenshot({ path: path.join(screenshots, 'faults.png') });
    await page.locator('#faults li').first().getByRole('button', { name: 'switch off' }).click();
    await expectCount('#faults li', 1);
    expect(faults.list().map((f) => f.spec)).toEqual(['gateway:200ms']);
    await page.locator('#faults-clear').click();
    await expectCount('#faults li', 0);
    expect(faults.list()).toEqual([]);
  });

  it('follows the function log and raises no page errors', async () => {
    await expectText('#logs', 'request handled');
    // The first cold start came before the console listened: the feed kept it.
    await expectText('#logs .runtime', 'handler cold start');
    await page.locator('#logs-panel').screenshot({ path: path.join(screenshots, 'logs.png') });
    // Every view filled in, for the README (docs/console.png is made from this one).
    await page.locator('#errors-only').uncheck();
    await page.screenshot({ path: path.join(screenshots, 'overview.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  async function expectText(selector: string, text: string): Promise<void> {
    await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
  }

  async function expectCount(selector: string, count: number): Promise<void> {
    const all = page.locator(selector);
    if (count > 0) await all.nth(count - 1).waitFor({ state: 'attached' });
    await all.nth(count).waitFor({ state: 'detached' });
  }
});
