import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './serve-static.js';

const docs = fileURLToPath(new URL('..', import.meta.url));
const dist = join(docs, '.vitepress', 'dist');
const results = join(docs, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds the site when no build is there (turbo normally runs `build` first). */
function ensureBuilt(): void {
  if (existsSync(join(dist, 'index.html'))) return;
  const bin = (name: string) => join(docs, 'node_modules', '.bin', name);
  for (const [cmd, args] of [
    [bin('tsx'), ['scripts/generate.ts']],
    [bin('vitepress'), ['build', '.']],
  ] as const) {
    const run = spawnSync(cmd, args, { cwd: docs, stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  }
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
}

describe('the built site', () => {
  beforeAll(() => ensureBuilt());

  it('loads nothing from another host: no external scripts, styles, fonts or images', () => {
    const offenders: string[] = [];
    for (const file of files(dist)) {
      if (file.endsWith('.html')) {
        const html = readFileSync(file, 'utf8');
        // Resources the page loads (links the reader may follow are fine offline).
        for (const m of html.matchAll(
          /<(script|link|img|iframe|source|video|audio)\b[^>]*?\s(?:src|href)=["']((?:https?:)?\/\/[^"']+)/gi,
        )) {
          offenders.push(`${file.slice(dist.length)}: <${m[1]}> ${m[2]}`);
        }
      }
      if (file.endsWith('.css')) {
        const css = readFileSync(file, 'utf8');
        for (const m of css.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^"')]+)/gi)) {
          offenders.push(`${file.slice(dist.length)}: url(${m[1]})`);
        }
        for (const m of css.matchAll(/@import\s+(?:url\()?["']?((?:https?:)?\/\/[^"')]+)/gi)) {
          offenders.push(`${file.slice(dist.length)}: @import ${m[1]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has every page the navigation promises', () => {
    for (const page of [
      'index.html',
      'guide/quick-start.html',
      'guide/custom-model.html',
      'concepts/selectors-and-strategies.html',
      'concepts/request-life-cycle.html',
      'providers/ollama.html',
      'gateway/index.html',
      'gateway/endpoints.html',
      'gateway/error-codes.html',
      'gateway/configuration.html',
      'operations/deployment.html',
      'operations/reliability-and-security.html',
      'benchmarks/index.html',
      'benchmarks/methodology.html',
      'api/index.html',
      'api/core.html',
    ]) {
      expect(existsSync(join(dist, page)), page).toBe(true);
    }
  });
});

/** Clicks a link and waits until the client-side router has rendered the target page. */
async function follow(page: Page, link: ReturnType<Page['locator']>, url: RegExp, heading: string) {
  await link.click();
  await page.waitForURL(url);
  await page.locator('main h1', { hasText: heading }).first().waitFor();
}

describe('in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let base: string;
  let page: Page;
  const foreign: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH. The test never downloads a browser.`,
      );
    }
    ensureBuilt();
    ({ url: base, server } = await serveStatic(dist));
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
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(base) && !url.startsWith('data:')) foreign.push(url);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    mkdirSync(results, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('opens the home page and follows the navigation through the guide and concepts', async () => {
    await page.goto(`${base}/`);
    await expect(page.locator('.VPHero .name').textContent()).resolves.toContain('Orchestrator');

    await follow(
      page,
      page.locator('.VPHero a', { hasText: 'Quick start' }),
      /\/guide\/quick-start$/,
      'Quick start',
    );
    await expect(page.locator('main').textContent()).resolves.toContain('npx -y pnpm@10 install');

    // The sidebar, client-side navigation.
    await follow(
      page,
      page.locator('.VPSidebar a', { hasText: 'Selectors and strategies' }),
      /\/concepts\/selectors-and-strategies$/,
      'Selectors and strategies',
    );
    const selectors = await page.locator('main').textContent();
    expect(selectors).toContain('UCB1-Tuned');
    expect(selectors).toContain('change detection');

    await follow(
      page,
      page.locator('.VPSidebar a', { hasText: 'A request’s life cycle' }),
      /\/concepts\/request-life-cycle$/,
      'life cycle',
    );
    // The diagram is inline SVG, rendered with the page.
    await expect(page.locator('main svg[aria-label^="Flow of a request"]').count()).resolves.toBe(
      1,
    );
    await page.screenshot({ path: join(results, 'request-life-cycle.png'), fullPage: false });
  });

  it('reaches the generated pages: error codes, configuration, endpoints, benchmarks, API', async () => {
    await follow(
      page,
      page.locator('.VPNav a', { hasText: 'Gateway' }).first(),
      /\/gateway\/$/,
      'The gateway',
    );
    await follow(
      page,
      page.locator('.VPSidebar a', { hasText: 'Error codes' }),
      /\/gateway\/error-codes$/,
      'Error codes',
    );
    const codes = await page.locator('main').textContent();
    for (const code of ['rate_limited', 'circuit_open', 'budget_exceeded', 'all_models_failed']) {
      expect(codes).toContain(code);
    }

    await follow(
      page,
      page.locator('.VPSidebar a', { hasText: 'Configuration reference' }),
      /\/gateway\/configuration$/,
      'Configuration reference',
    );
    await expect(page.locator('main').textContent()).resolves.toContain('server.port');
    await page.screenshot({ path: join(results, 'configuration.png'), fullPage: false });

    await follow(
      page,
      page.locator('.VPNav a', { hasText: 'Benchmarks' }).first(),
      /\/benchmarks\/$/,
      'benchmark figures',
    );
    await expect(page.locator('main table').count()).resolves.toBeGreaterThan(3);

    await follow(
      page,
      page.locator('.VPNav a', { hasText: 'API' }).last(),
      /\/api\/$/,
      'API reference',
    );
    await follow(
      page,
      page.locator('main a', { hasText: '@orchestrator/core' }),
      /\/api\/core$/,
      '@orchestrator/core',
    );
    const api = await page.locator('main').textContent();
    expect(api).toContain('UCBModelSelector');
    expect(api).toContain('ModelRegistry');
    await page.screenshot({ path: join(results, 'api-core.png'), fullPage: false });
  });

  it('searches locally, without a server', async () => {
    await page.goto(`${base}/`);
    await page.locator('.DocSearch-Button, .VPNavBarSearchButton').first().click();
    await page.locator('input.search-input, #localsearch-input').first().fill('circuit breaker');
    await expect(page.locator('.VPLocalSearchBox .result').first().textContent()).resolves.toMatch(
      /breaker/i,
    );
    await page.keyboard.press('Escape');
    await page.goto(`${base}/guide/quick-start`);
    await page.screenshot({ path: join(results, 'quick-start.png'), fullPage: false });
  });

  it('made no request to another host and logged no errors', () => {
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
