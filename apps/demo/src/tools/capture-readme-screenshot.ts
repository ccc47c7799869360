import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryStore } from '@orchestrator/postgres';
import { chromium } from 'playwright-core';
import { startDemoGateway } from '../gateway/start-demo-gateway.js';
import { runTraffic } from '../traffic/traffic-generator.js';

// Refreshes the README's dashboard picture: a gateway with realistic
// simulated timing, a minute of generated traffic with an outage, a
// playground answer, then the top of the page. Run after `vite build`:
//   pnpm --filter @orchestrator/demo run screenshot
const OUT = fileURLToPath(new URL('../../docs/dashboard.png', import.meta.url));
const TRAFFIC_MS = 70_000;

const gateway = await startDemoGateway({ port: 0, store: createMemoryStore(), log: () => {} });
const traffic = runTraffic({
  url: gateway.url,
  adminKey: gateway.adminKey,
  fleet: gateway.fleet,
  requests: 600,
  concurrency: 4,
  pauseMs: 300,
  outageAfter: 70,
  outageMs: 20_000,
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 1100 } });
  await page.goto(`${gateway.url}/dashboard#key=${gateway.adminKey}`);
  await new Promise((resolve) => setTimeout(resolve, TRAFFIC_MS));
  await page
    .getByTestId('prompt')
    .fill('Refactor this callback-based Node.js code to async/await.');
  await page.getByTestId('send').click();
  await page.getByTestId('result').waitFor({ timeout: 30_000 });
  await mkdir(dirname(OUT), { recursive: true });
  // The top of the page (figures, charts, playground, feed) at a size a README can carry (< 300 KB).
  await page.screenshot({ path: OUT, clip: { x: 0, y: 0, width: 1360, height: 980 } });
  console.log(`wrote ${OUT} (${Math.round((await stat(OUT)).size / 1024)} KB)`);
} finally {
  await browser.close();
  await gateway.close();
  void traffic.catch(() => {});
}
