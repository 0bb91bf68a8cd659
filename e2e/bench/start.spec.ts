import { test, type Browser, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { COACH, chooseRelationship, signInToDashboard } from '../fixtures';
import { OBSERVE_DASHBOARD } from './observe';
import { RELATIONSHIPS, WEEKS, seedBusyCoach } from './busy-coach';
import { OwnServer, freePort } from '../server';

// Time from navigation to the dashboard's sessions on screen, signed in as the demo coach:
// cold (a new browser context: empty HTTP cache) and warm (the same context coming back);
// with the demo's data, and for a busy coach (a year of weekly sessions in 20 relationships).
const RUNS = 15;

const visibleAfter = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { __dashboardVisible: Promise<number> }).__dashboardVisible);

function distribution(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => +sorted[Math.min(sorted.length - 1, Math.round((p / 100) * (sorted.length - 1)))].toFixed(1);
  return { p50_ms: at(50), p95_ms: at(95), p99_ms: at(99), max_ms: +sorted[sorted.length - 1].toFixed(1) };
}

type StorageState = Awaited<ReturnType<Awaited<ReturnType<Browser['newContext']>>['storageState']>>;

/** `RUNS` cold and warm starts of the dashboard for the signed-in `state`. */
async function starts(browser: Browser, state: StorageState, baseURL?: string) {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(baseURL ? { storageState: state, baseURL } : { storageState: state });
    await context.addInitScript(OBSERVE_DASHBOARD);
    const page = await context.newPage();
    await page.goto('/dashboard');
    cold.push(await visibleAfter(page));
    // A returning visitor: the page has rested, so V8 has written its cache of compiled
    // wasm (it does so about two seconds after the code stops tiering up; there is no event
    // to wait for), then the person comes back to the dashboard.
    await page.waitForTimeout(3_000);
    await page.reload();
    warm.push(await visibleAfter(page));
    await context.close();
  }
  return {
    runs: RUNS,
    cold_ms: distribution(cold).p50_ms,
    warm_ms: distribution(warm).p50_ms,
    cold: distribution(cold),
    warm: distribution(warm),
  };
}

test('dashboard start', async ({ browser }) => {
  test.setTimeout(300_000);
  const signedIn = await (await browser.newContext()).newPage();
  await signInToDashboard(signedIn, COACH);
  await chooseRelationship(signedIn, 'Coaching Sam Rivera');
  const result = await starts(browser, await signedIn.context().storageState());
  console.log(JSON.stringify(result));
  writeFileSync('../target/bench/start.json', JSON.stringify(result, null, 2));
});

test('dashboard start, busy coach', async ({ browser }) => {
  test.setTimeout(600_000);
  const server = new OwnServer(await freePort());
  await server.start();
  try {
    await seedBusyCoach(server);
    const context = await browser.newContext({ baseURL: server.base });
    const signedIn = await context.newPage();
    await signInToDashboard(signedIn, COACH);
    const result = {
      relationships: RELATIONSHIPS,
      sessions: RELATIONSHIPS * WEEKS,
      ...(await starts(browser, await context.storageState(), server.base)),
    };
    console.log(JSON.stringify(result));
    writeFileSync('../target/bench/start-busy.json', JSON.stringify(result, null, 2));
  } finally {
    await server.stop();
  }
});
