import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { COACH, COACHEE, chooseRelationship, signInToDashboard } from '../fixtures';

/** Folder of the cluster's pid files (CLUSTER_NAME in playwright.cluster.config.ts). */
const RUN = join(__dirname, '..', '..', '.run', 'e2e-cluster');

/** Loads `page` at `url` and returns the instance that serves its event stream. */
async function loadAndFindStreamInstance(page: Page, url: string): Promise<string> {
  const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/sse');
  await page.goto(url);
  const instance = (await stream).headers()['x-tandem-instance'];
  expect(instance).toMatch(/^instance-\d$/);
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  return instance;
}

/** Coach and coachee on one session page, their event streams on different instances. */
async function onDifferentInstances(browser: Browser): Promise<{ coach: Page; coachee: Page; coacheeInstance: string }> {
  const coach = await (await browser.newContext()).newPage();
  const coachee = await (await browser.newContext()).newPage();
  await signInToDashboard(coach, COACH);
  await chooseRelationship(coach, `Coaching ${COACHEE.name}`);
  await coach.getByRole('link', { name: /Presence on stage/ }).click();
  await expect(coach.getByTestId('session-title')).toHaveText('Presence on stage');
  const session = coach.url();
  const coachInstance = await loadAndFindStreamInstance(coach, session);
  await signInToDashboard(coachee, COACHEE);
  // nginx takes turns over the instances: a few loads land the coachee on the other one.
  let coacheeInstance = await loadAndFindStreamInstance(coachee, session);
  for (let tries = 0; coacheeInstance === coachInstance && tries < 8; tries++) {
    coacheeInstance = await loadAndFindStreamInstance(coachee, session);
  }
  expect(coacheeInstance).not.toBe(coachInstance);
  return { coach, coachee, coacheeInstance };
}

test('coach and coachee on different instances see each other\'s changes live, over HTTP/2', async ({ browser }) => {
  const { coach, coachee } = await onDifferentInstances(browser);
  for (const page of [coach, coachee]) {
    const protocol = await page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol,
    );
    expect(protocol).toBe('h2');
  }

  await coach.getByLabel('New agreement').fill('Agreed across instances');
  await coach.getByRole('button', { name: 'Add agreement' }).click();
  await expect(coachee.getByTestId('agreement').filter({ hasText: 'Agreed across instances' })).toHaveCount(1);

  await coachee.getByText('Add an action').click();
  const form = coachee.locator('details.add-details form');
  await form.getByLabel('What will be done').fill('Acted across instances');
  await form.getByRole('button', { name: 'Add action' }).click();
  await expect(coach.getByTestId('action').filter({ hasText: 'Acted across instances' })).toHaveCount(1);
});

/** The pid an instance runs as now. */
function instancePid(n: number): number {
  return Number(readFileSync(join(RUN, `instance-${n}.pid`), 'utf8').trim());
}

/** Whether instance `n` (E2E_PORT + n) says it should get traffic. */
async function isReady(n: number): Promise<boolean> {
  const port = Number(process.env.E2E_PORT ?? '18123') + n;
  try {
    return (await (await fetch(`http://127.0.0.1:${port}/api/ready`)).text()) === 'ready';
  } catch {
    return false;
  }
}

test('a rolling restart of every instance loses nothing and both pages stay live', async ({ browser }) => {
  test.setTimeout(90_000);
  const { coach, coachee } = await onDifferentInstances(browser);
  const before = [instancePid(1), instancePid(2)];
  // `make cluster-restart` does exactly this.
  process.kill(Number(readFileSync(join(RUN, 'cluster.pid'), 'utf8').trim()), 'SIGHUP');
  const done = async () =>
    instancePid(1) !== before[0] && instancePid(2) !== before[1] && (await isReady(1)) && (await isReady(2));
  // The coach keeps writing while the instances restart one after the other.
  const written: string[] = [];
  for (let n = 0; !(await done()); n++) {
    expect(n, 'the rolling restart finishes').toBeLessThan(150);
    const text = `Written during the restart ${n}`;
    await coach.getByLabel('New agreement').fill(text);
    await coach.getByRole('button', { name: 'Add agreement' }).click();
    await expect(coach.getByTestId('agreement').filter({ hasText: text })).toHaveCount(1, { timeout: 10_000 });
    written.push(text);
  }
  expect(written.length).toBeGreaterThan(0);
  // Every write reached the coachee exactly once, without a reload.
  for (const text of written) {
    await expect(coachee.getByTestId('agreement').filter({ hasText: new RegExp(`${text}(?!\\d)`) })).toHaveCount(1);
  }
  const after = 'Written after the restart';
  await coach.getByLabel('New agreement').fill(after);
  await coach.getByRole('button', { name: 'Add agreement' }).click();
  await expect(coachee.getByTestId('agreement').filter({ hasText: after })).toHaveCount(1);
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
});


test('when the coachee\'s instance dies, the stream resumes on the other and misses nothing', async ({ browser }) => {
  const { coach, coachee, coacheeInstance } = await onDifferentInstances(browser);
  const pid = Number(readFileSync(join(RUN, `${coacheeInstance}.pid`), 'utf8').trim());
  // Reconnects from here on must go to the survivor, resuming from the last id seen.
  const resumed = coachee.waitForRequest((r) => new URL(r.url()).pathname === '/api/sse', { timeout: 15_000 });
  process.kill(pid, 'SIGKILL');

  await coach.getByLabel('New agreement').fill('Written while an instance was down');
  await coach.getByRole('button', { name: 'Add agreement' }).click();
  await expect(coach.getByTestId('agreement').filter({ hasText: 'Written while an instance was down' })).toHaveCount(1);

  const reconnect = await resumed;
  const lastSeen =
    (await reconnect.allHeaders())['last-event-id'] ?? new URL(reconnect.url()).searchParams.get('lastEventId');
  expect(lastSeen, 'the reconnect resumes from the last event seen').toMatch(/^\d+$/);
  await expect(coachee.getByTestId('agreement').filter({ hasText: 'Written while an instance was down' })).toHaveCount(1, {
    timeout: 15_000,
  });
  await expect(coachee.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
});
