import { test, expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { COACH, chooseRelationship, signInToDashboard } from '../fixtures';

// Time from navigation to the dashboard's sessions on screen, with a cold HTTP cache (a new
// browser context each run) and a warm one (a reload), signed in as the demo coach.
const RUNS = 10;

test('dashboard start', async ({ browser }) => {
  test.setTimeout(300_000);
  const signedIn = await (await browser.newContext()).newPage();
  await signInToDashboard(signedIn, COACH);
  await chooseRelationship(signedIn, 'Coaching Sam Rivera');
  const state = await signedIn.context().storageState();
  const visible = async (page: import('@playwright/test').Page) => {
    await expect(page.getByTestId('previous-sessions')).toBeVisible();
    return page.evaluate(() => performance.now());
  };
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ storageState: state });
    const page = await context.newPage();
    await page.goto('/dashboard');
    cold.push(await visible(page));
    await page.reload();
    warm.push(await visible(page));
    await context.close();
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const result = { runs: RUNS, cold_ms: +median(cold).toFixed(1), warm_ms: +median(warm).toFixed(1) };
  console.log(JSON.stringify(result));
  writeFileSync('../target/bench/start.json', JSON.stringify(result, null, 2));
});
