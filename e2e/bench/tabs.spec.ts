import { test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { COACH, chooseRelationship, signInToDashboard } from '../fixtures';
import { OBSERVE_DASHBOARD } from './observe';

// Many tabs of one browser: the time from opening tab N to its dashboard sessions on screen
// (measured in the page, from its navigation start), and how many event streams the browser
// holds on the server once all are open. Before one stream was shared, tab 7 never loaded.
const TABS = 20;
const REPORTED = [1, 6, 7, 12, 20];

/** When the tab showed its dashboard, or null if it did not within 10 s. */
const visibleAfter = async (page: Page): Promise<number | null> => {
  const shown = page.evaluate(() => (window as unknown as { __dashboardVisible: Promise<number> }).__dashboardVisible);
  const never = new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000));
  return Promise.race([shown.catch(() => null), never]);
};

test('many tabs', async ({ browser }) => {
  test.setTimeout(300_000);
  const signedIn = await (await browser.newContext()).newPage();
  await signInToDashboard(signedIn, COACH);
  await chooseRelationship(signedIn, 'Coaching Sam Rivera');
  const state = await signedIn.context().storageState();
  await signedIn.context().close();

  const context = await browser.newContext({ storageState: state });
  await context.addInitScript(OBSERVE_DASHBOARD);
  let opened = 0;
  let open = 0;
  const isStream = (url: string) => new URL(url).pathname === '/api/sse';
  context.on('request', (r) => isStream(r.url()) && ((opened += 1), (open += 1)));
  const ended = (r: { url(): string }) => isStream(r.url()) && (open -= 1);
  context.on('requestfinished', ended);
  context.on('requestfailed', ended);

  const visible: Record<string, number | null> = {};
  for (let n = 1; n <= TABS; n++) {
    const page = await context.newPage();
    // Not awaited: a tab that never loads (all connections taken) must not stop the bench.
    page.goto('/dashboard', { timeout: 10_000 }).catch(() => undefined);
    await page.waitForFunction(() => '__dashboardVisible' in window, null, { timeout: 10_000 }).catch(() => undefined);
    const ms = await visibleAfter(page);
    if (REPORTED.includes(n)) visible[`tab_${n}`] = ms === null ? null : +ms.toFixed(1);
    if (ms === null) break;
  }
  const result = { tabs: TABS, visible_ms: visible, streams_opened: opened, streams_open: open };
  console.log(JSON.stringify(result));
  writeFileSync('../target/bench/tabs.json', JSON.stringify(result, null, 2));
});
