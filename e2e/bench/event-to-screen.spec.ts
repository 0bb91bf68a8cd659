import { test, expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { COACH, COACHEE, chooseRelationship, followToSession, signInToDashboard } from '../fixtures';

// How long a change made by the coach takes to show on the coachee's screen, over many
// changes of mixed kinds, and how many HTTP requests the coachee's page makes per change.
// It also counts the components the coachee's page renders per change (the app's
// `window.tandemRenders()`): everything from just before the click to just before the next
// one, so re-renders caused by refetches count too.
// Run with `make bench-events`; results go to ../target/bench/event-to-screen.json.

const CHANGES = Number(process.env.CHANGES ?? '100');

/** Records, in the coachee's page, when each marker text first appears. */
async function watchForMarkers(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as any).__seen = seen;
    const scan = () => {
      const text = document.body.innerText + ' ' + Array.from(document.querySelectorAll('textarea')).map((t) => (t as HTMLTextAreaElement).value).join(' ');
      for (const match of text.matchAll(/mark-(\d+)/g)) {
        if (!(match[0] in seen)) seen[match[0]] = performance.timeOrigin + performance.now();
      }
    };
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  });
}

test('event to screen', async ({ browser }) => {
  test.setTimeout(600_000);
  const coach = await (await browser.newContext()).newPage();
  const coachee = await (await browser.newContext()).newPage();
  await signInToDashboard(coach, COACH);
  await chooseRelationship(coach, 'Coaching Sam Rivera');
  await followToSession(coach, coach.getByRole('link', { name: /Handling questions/ }));
  await signInToDashboard(coachee, COACHEE);
  await coachee.goto(coach.url());
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  await watchForMarkers(coachee);
  // The moment of the real click, in the coach's page (Playwright's own steps before it,
  // such as scrolling and waiting for the button to be stable, do not count).
  await coach.evaluate(() => {
    document.addEventListener('click', () => ((window as any).__clickedAt = performance.timeOrigin + performance.now()), true);
  });
  let requests = 0;
  let inFlight = 0;
  // The stream, and the page saying every few seconds that it is open (presence), are not
  // requests an event causes.
  const isApi = (url: string) => url.includes('/api/') && !url.includes('/api/sse') && !url.includes('/presence');
  coachee.on('request', (request) => {
    if (isApi(request.url())) (requests += 1), (inFlight += 1);
  });
  const done = (request: { url(): string }) => {
    if (isApi(request.url())) inFlight -= 1;
  };
  coachee.on('requestfinished', done);
  coachee.on('requestfailed', done);

  const latencies: { kind: string; ms: number }[] = [];
  const renders: { kind: string; count: number }[] = [];
  const renderCount = (): Promise<number> => coachee.evaluate(() => (window as any).tandemRenders());
  /** Two frames of the coachee's page: what a change set off has been drawn. */
  const settle = () => coachee.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  for (let n = 0; n < CHANGES; n++) {
    const marker = `mark-${n}`;
    const kind = ['agreement', 'action', 'goal', 'title'][n % 4];
    let click: () => Promise<void>;
    if (kind === 'agreement') {
      await coach.getByLabel('New agreement').fill(`Agreement ${marker}`);
      click = () => coach.getByRole('button', { name: 'Add agreement' }).click();
    } else if (kind === 'action') {
      const details = coach.locator('details.add-details');
      if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await coach.getByText('Add an action').click();
      await details.getByLabel('What will be done').fill(`Action ${marker}`);
      click = () => details.getByRole('button', { name: 'Add action' }).click();
    } else if (kind === 'goal') {
      await coach.getByLabel('New goal').fill(`Goal ${marker}`);
      click = () => coach.getByRole('button', { name: 'Add goal' }).click();
    } else {
      await coach.getByRole('button', { name: 'Edit title' }).click();
      await coach.getByLabel('Session title').fill(`Title ${marker}`);
      click = () => coach.getByRole('button', { name: 'Save title' }).click();
    }
    await settle();
    const rendersBefore = await renderCount();
    await click();
    const clickedAt: number = await coach.evaluate(() => (window as any).__clickedAt);
    await coachee.waitForFunction((m) => m in (window as any).__seen, marker, { timeout: 10_000 });
    const seenAt: number = await coachee.evaluate((m) => (window as any).__seen[m], marker);
    latencies.push({ kind, ms: seenAt - clickedAt });
    await expect.poll(() => inFlight).toBe(0);
    await settle();
    renders.push({ kind, count: (await renderCount()) - rendersBefore });
  }

  const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
  const pick = (p: number) => sorted[Math.min(sorted.length - 1, Math.round((p / 100) * (sorted.length - 1)))];
  const byKind: Record<string, number[]> = {};
  for (const l of latencies) (byKind[l.kind] ??= []).push(l.ms);
  const result = {
    changes: CHANGES,
    p50_ms: +pick(50).toFixed(1),
    p95_ms: +pick(95).toFixed(1),
    p99_ms: +pick(99).toFixed(1),
    max_ms: +sorted[sorted.length - 1].toFixed(1),
    requests_per_event: +(requests / CHANGES).toFixed(2),
    median_ms_by_kind: Object.fromEntries(
      Object.entries(byKind).map(([k, v]) => [k, +v.sort((a, b) => a - b)[Math.floor(v.length / 2)].toFixed(1)]),
    ),
  };
  const rendersByKind: Record<string, number[]> = {};
  for (const r of renders) (rendersByKind[r.kind] ??= []).push(r.count);
  const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
  Object.assign(result, {
    renders_per_event: +(renders.reduce((sum, r) => sum + r.count, 0) / CHANGES).toFixed(1),
    median_renders_by_kind: Object.fromEntries(Object.entries(rendersByKind).map(([k, v]) => [k, median(v)])),
  });
  console.log(JSON.stringify(result));
  writeFileSync('../target/bench/event-to-screen.json', JSON.stringify(result, null, 2));
});
