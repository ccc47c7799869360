import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createMemoryStore } from '@orchestrator/postgres';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoGateway, startDemoGateway } from '../gateway/start-demo-gateway.js';
import { runTraffic } from '../traffic/traffic-generator.js';

const CHROMIUM = '/usr/bin/chromium';
const APP = fileURLToPath(new URL('../..', import.meta.url));
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`dashboard e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!haveChromium)('dashboard in headless Chromium', () => {
  let gateway: DemoGateway;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Always test the bundle built from the sources under test, never a stale one.
    await build({ configFile: `${APP}vite.config.ts`, logLevel: 'warn' });
    gateway = await startDemoGateway({
      port: 0,
      store: createMemoryStore(),
      // Fast but still streamed token by token; failures stay on so the charts have texture.
      timeScale: 0.15,
      seed: 3,
      // Not the CI's REDIS_URL: state shared with earlier runs would make the figures vary.
      env: {},
      log: () => {},
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('loads with the key from the URL fragment, then forgets it from the address bar', async () => {
    await page.goto(`${gateway.url}/dashboard#key=${gateway.adminKey}`);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
    expect(page.url()).not.toContain('key=');
    await expect
      .poll(() => page.locator('[data-testid=models-table] tbody tr').count())
      .toBe(gateway.fleet.models.length);
    await expect(page.getByTestId('simulated-banner').textContent()).resolves.toContain(
      'SIMULATED',
    );
  });

  it('streams a playground answer after showing the routing decision', async () => {
    await page
      .getByTestId('prompt')
      .fill('Explain what a closure is in JavaScript, with a short example.');
    await page.getByTestId('strategy').selectOption('quality_optimal');
    await page.getByTestId('send').click();
    const decision = page.getByTestId('decision');
    await decision.waitFor();
    await expect(decision.textContent()).resolves.toMatch(/quality optimal/);
    await page.getByTestId('result').waitFor({ timeout: 30_000 });
    const answer = await page.getByTestId('answer').textContent();
    expect(answer).toContain('[simulated]');
    await expect(page.getByTestId('result').textContent()).resolves.toMatch(/out tokens/);
  });

  it('updates the tables, charts and feed after traffic, including an injected outage', async () => {
    const report = await runTraffic({
      url: gateway.url,
      adminKey: gateway.adminKey,
      fleet: gateway.fleet,
      requests: 60,
      concurrency: 6,
      pauseMs: 0,
      outageAfter: 15,
      outageMs: 1_500,
      seed: 5,
    });
    expect(report.sent).toBe(60);
    expect(report.succeeded).toBeGreaterThan(20);
    await expect
      .poll(
        async () =>
          Number(
            (await page.getByTestId('kpi-requests').locator('.kpi-value').textContent())?.replace(
              /,/g,
              '',
            ),
          ),
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThanOrEqual(40);
    await expect
      .poll(async () => {
        const cells = await page.getByTestId('model-requests').allTextContents();
        return cells.reduce((sum, c) => sum + (Number(c.replace(/,/g, '')) || 0), 0);
      })
      .toBeGreaterThanOrEqual(40);
    await expect.poll(() => page.locator('.feed-item').count()).toBeGreaterThan(20);
    await expect
      .poll(() => page.locator('[data-testid=users] li').count())
      .toBeGreaterThanOrEqual(3);
  });

  it('injects and clears a fault from the providers panel', async () => {
    await page.getByTestId('fault-anthropic-outage').click();
    await expect
      .poll(() => gateway.fleet.providers().find((p) => p.provider === 'anthropic')?.fault)
      .toBe('outage');
    await page.locator('.provider-fault').first().waitFor();
    await page.getByTestId('recover-anthropic').click();
    await expect
      .poll(() => gateway.fleet.providers().find((p) => p.provider === 'anthropic')?.fault)
      .toBeUndefined();
  });

  it('saves a screenshot of the dashboard', async () => {
    // Let a couple of chart samples land after the traffic.
    await page.waitForTimeout(2_500);
    await mkdir(`${APP}test-results`, { recursive: true });
    await page.screenshot({ path: `${APP}test-results/dashboard.png`, fullPage: true });
    expect(existsSync(`${APP}test-results/dashboard.png`)).toBe(true);
  });
});
