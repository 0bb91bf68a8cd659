import { test, expect, type BrowserContext, type Page, type Route } from '@playwright/test';
import { API_HEADERS, COACH, COACHEE, DEMO_PASSWORD, chooseRelationship, followToSession, gate, signIn, signInToDashboard, signOut } from '../fixtures';
import { OwnServer, freePort } from '../server';

// One browser profile (one context) with many tabs holds one event stream: the tab that
// holds a Web Lock keeps it and relays every event to the others over a BroadcastChannel.

/** Counts the event streams a browser context opens, and how many are open now. */
function watchStreams(context: BrowserContext) {
  const counts = { opened: 0, open: 0, urls: [] as string[] };
  const isStream = (url: string) => new URL(url).pathname === '/api/sse';
  context.on('request', (request) => {
    if (!isStream(request.url())) return;
    counts.opened += 1;
    counts.open += 1;
    counts.urls.push(request.url());
  });
  const ended = (request: { url(): string }) => {
    if (isStream(request.url())) counts.open -= 1;
  };
  context.on('requestfinished', ended);
  context.on('requestfailed', ended);
  return counts;
}

/** Whether this tab holds the stream, from its `?debug=sse` panel. */
async function leads(page: Page): Promise<boolean> {
  return (await page.getByTestId('sse-debug').textContent())?.includes('"leader": true') ?? false;
}

/** Opens `path` in `count` more tabs of the context, each after the previous one shows it. */
async function openTabs(context: BrowserContext, path: string, count: number, ready: (page: Page) => Promise<void>) {
  const tabs: Page[] = [];
  for (let i = 0; i < count; i++) {
    const tab = await context.newPage();
    await tab.goto(path);
    await ready(tab);
    tabs.push(tab);
  }
  return tabs;
}

/** The id of the session titled `title` on the dashboard of `page`. */
async function sessionId(page: Page, title: string): Promise<string> {
  const href = await page.getByRole('link', { name: new RegExp(title) }).first().getAttribute('href');
  return href!.split('/').pop()!;
}

test('twelve tabs of one browser all load, share one stream, and all show a change', async ({ browser }) => {
  const context = await browser.newContext();
  const streams = watchStreams(context);
  const first = await context.newPage();
  await signInToDashboard(first, COACH);
  await chooseRelationship(first, 'Coaching Sam Rivera');
  const dashboardReady = async (tab: Page) => {
    await expect(tab.getByTestId('previous-sessions')).toContainText('Handling questions');
  };
  const tabs = [first, ...(await openTabs(context, '/dashboard?debug=sse', 11, dashboardReady))];
  for (const tab of tabs) {
    await dashboardReady(tab);
    await expect(tab.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  expect(streams.opened).toBe(1);
  const leaders = await Promise.all(tabs.slice(1).map(leads));
  expect(leaders.filter(Boolean).length).toBeLessThanOrEqual(1);

  // The coachee, in a browser of their own, renames the session: all twelve tabs show it.
  const coachee = await (await browser.newContext()).newPage();
  await signInToDashboard(coachee, COACHEE);
  const id = await sessionId(first, 'Handling questions');
  const renamed = await coachee.request.patch(`/api/coaching_sessions/${id}/title`, {
    headers: API_HEADERS,
    data: { title: 'Handling questions, renamed live' },
  });
  expect(renamed.ok()).toBeTruthy();
  for (const tab of tabs) {
    await expect(tab.getByTestId('previous-sessions')).toContainText('Handling questions, renamed live');
  }
  expect(streams.opened).toBe(1);
});

test('when the tab holding the stream closes another takes over within a second, losing nothing', async ({ browser }) => {
  const context = await browser.newContext();
  const streams = watchStreams(context);
  const first = await context.newPage();
  await signInToDashboard(first, COACH);
  await chooseRelationship(first, 'Coaching Sam Rivera');
  const sessionPath = await followToSession(first, first.getByRole('link', { name: /Getting started/ }));
  await first.goto(`${sessionPath}?debug=sse`);
  const onSession = async (tab: Page) => {
    await expect(tab.getByTestId('session-title')).toHaveText('Getting started');
    await expect(tab.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  };
  await onSession(first);
  const tabs = [first, ...(await openTabs(context, `${sessionPath}?debug=sse`, 2, onSession))];
  await expect(first.getByTestId('sse-debug')).toContainText('"leader": true');
  const openedBefore = streams.opened;
  expect(openedBefore).toBe(2); // the first page load and its reload with ?debug=sse

  const coachee = await (await browser.newContext()).newPage();
  await signInToDashboard(coachee, COACHEE);
  const sessionIdOfPage = sessionPath.split('/').pop();
  const addAgreement = async (body: string) => {
    const answer = await coachee.request.post('/api/agreements', {
      headers: API_HEADERS,
      data: { coaching_session_id: sessionIdOfPage, body },
    });
    expect(answer.ok()).toBeTruthy();
  };
  await addAgreement('Before the hand-over');
  for (const tab of tabs) await expect(tab.getByTestId('agreements')).toContainText('Before the hand-over');

  // Hold the next stream request until a change has been made in the gap.
  const held = gate();
  await context.route('**/api/sse**', async (route: Route) => {
    await held.opened;
    await route.continue();
  });
  let refetched = 0;
  context.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/agreements') refetched += 1;
  });
  const closedAt = Date.now();
  await first.close();
  const remaining = tabs.slice(1);
  await expect.poll(() => streams.opened, { timeout: 1_000 }).toBe(openedBefore + 1);
  const takenOverIn = Date.now() - closedAt;
  await addAgreement('During the hand-over');
  held.open();
  await addAgreement('After the hand-over');
  for (const tab of remaining) {
    for (const body of ['Before the hand-over', 'During the hand-over', 'After the hand-over']) {
      await expect(tab.getByTestId('agreement').filter({ hasText: body })).toHaveCount(1);
    }
  }
  expect(takenOverIn).toBeLessThan(1_000);
  // The new stream resumed from the last relayed event: the server replayed the gap, and no
  // tab had to fetch the agreements again.
  expect(streams.urls.at(-1)).toMatch(/lastEventId=\d+/);
  expect(refetched).toBe(0);
  const leaders = await Promise.all(remaining.map(leads));
  expect(leaders.filter(Boolean)).toHaveLength(1);
});

test('signing out in one tab signs out every tab and closes the one stream', async ({ browser }) => {
  const context = await browser.newContext();
  const streams = watchStreams(context);
  const first = await context.newPage();
  await signInToDashboard(first, COACH);
  const welcome = async (tab: Page) => expect(tab.getByTestId('welcome')).toHaveText(`Welcome, ${COACH.name}`);
  const tabs = [first, ...(await openTabs(context, '/dashboard', 3, welcome))];
  await expect.poll(() => streams.open).toBe(1);
  // Sign out in the last tab, which does not hold the stream.
  await signOut(tabs[3]);
  for (const tab of tabs) await expect(tab).toHaveURL(/\/login\?reason=/);
  await expect.poll(() => streams.open).toBe(0);
  // Signing in again in any tab opens it again, once.
  const opened = streams.opened;
  await signIn(tabs[2], COACH.email);
  await expect(tabs[2]).toHaveURL(/\/dashboard$/);
  await expect.poll(() => streams.open).toBe(1);
  expect(streams.opened).toBe(opened + 1);
});

test('a password change signs out an idle second tab too, with the reason', async ({ browser }) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  const id = await signInToDashboard(first, COACHEE);
  const second = await context.newPage();
  await second.goto('/dashboard');
  await expect(second.getByTestId('welcome')).toHaveText(`Welcome, ${COACHEE.name}`);
  await expect(second.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  // Elsewhere (another browser), the coachee changes the password.
  const elsewhere = await (await browser.newContext()).newPage();
  await signInToDashboard(elsewhere, COACHEE);
  const changed = await elsewhere.request.put(`/api/users/${id}/password`, {
    headers: API_HEADERS,
    data: { current_password: DEMO_PASSWORD, new_password: 'a new password', confirm_password: 'a new password' },
  });
  expect(changed.ok()).toBeTruthy();
  for (const tab of [first, second]) {
    await expect(tab).toHaveURL(/\/login\?reason=forced_logout&message=/);
    await expect(tab.getByTestId('login-reason')).toHaveText('You were signed out: Your password was changed.');
  }
});

test('after its last attempt the stream pauses, and Retry brings it back', async ({ browser }) => {
  const server = new OwnServer(await freePort());
  await server.start();
  try {
    const context = await browser.newContext({ baseURL: server.base });
    // Two attempts instead of ten, so the test does not wait a minute.
    await context.addInitScript(() => localStorage.setItem('tandem:sse-max-attempts', '2'));
    const page = await context.newPage();
    await signInToDashboard(page, COACHEE);
    const indicator = page.getByTestId('connection-indicator');
    await expect(indicator).toHaveAttribute('data-state', 'Connected');
    await server.stop();
    await expect(indicator).toHaveAttribute('data-state', 'Error', { timeout: 15_000 });
    await expect(indicator).toContainText('Live updates paused');
    await server.start();
    await indicator.getByRole('button', { name: 'Retry' }).click();
    await expect(indicator).toHaveAttribute('data-state', 'Connected');
    await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${COACHEE.name}`);
  } finally {
    await server.stop();
  }
});

test('a tab that hears nothing from a frozen leader takes the stream over', async ({ browser }) => {
  const context = await browser.newContext();
  // Three seconds of silence instead of 45.
  await context.addInitScript(() => localStorage.setItem('tandem:sse-silence-ms', '3000'));
  const streams = watchStreams(context);
  const first = await context.newPage();
  await signInToDashboard(first, COACH);
  await first.goto('/dashboard?debug=sse');
  await expect(first.getByTestId('sse-debug')).toContainText('"leader": true');
  const second = await context.newPage();
  await second.goto('/dashboard?debug=sse');
  await expect(second.getByTestId('sse-debug')).toContainText('"leader": false');
  const opened = streams.opened;
  // The leader stops running for eight seconds, as a tab frozen in the background does
  // (its lock stays held, its beacons stop).
  const frozen = first.evaluate(() => {
    const until = Date.now() + 8_000;
    while (Date.now() < until) {
      // busy: nothing else of this tab runs
    }
  });
  await expect(second.getByTestId('sse-debug')).toContainText('"leader": true', { timeout: 7_000 });
  expect(streams.opened).toBe(opened + 1);
  await expect(second.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  // Running again, the old leader finds its lock taken and follows.
  await frozen;
  await expect(first.getByTestId('sse-debug')).toContainText('"leader": false');
});

test('a tab that lost its stream resumes from its last event: the server replays what it missed', async ({ browser }) => {
  // Heartbeats every second and a watchdog of three seconds, so a frozen server is noticed.
  const server = new OwnServer(await freePort(), ['--sse-keepalive-secs', '1']);
  await server.start();
  try {
    const coacheeContext = await browser.newContext({ baseURL: server.base });
    await coacheeContext.addInitScript(() => localStorage.setItem('tandem:sse-watchdog-ms', '3000'));
    const streams = watchStreams(coacheeContext);
    const coach = await (await browser.newContext({ baseURL: server.base })).newPage();
    await signInToDashboard(coach, COACH);
    await chooseRelationship(coach, 'Coaching Sam Rivera');
    const sessionPath = await followToSession(coach, coach.getByRole('link', { name: /Getting started/ }));
    const coachee = await coacheeContext.newPage();
    await signInToDashboard(coachee, COACHEE);
    await coachee.goto(`${sessionPath}?debug=sse`);
    const indicator = coachee.getByTestId('connection-indicator');
    await expect(indicator).toHaveAttribute('data-state', 'Connected');
    await expect(coachee.getByTestId('sse-debug')).toContainText(/"last_event_at": \d/);
    const add = async (body: string) => {
      const answer = await coach.request.post('/api/agreements', {
        headers: API_HEADERS,
        data: { coaching_session_id: sessionPath.split('/').pop(), body },
      });
      expect(answer.ok()).toBeTruthy();
    };
    await add('Seen live');
    await expect(coachee.getByTestId('agreements')).toContainText('Seen live');
    let refetched = 0;
    coacheeContext.on('request', (r) => new URL(r.url()).pathname === '/api/agreements' && (refetched += 1));

    // The stream goes silent; the agent gives it up and asks for a new one, which is held
    // back until a change has been made in the gap.
    const held = gate();
    await coacheeContext.route('**/api/sse**', async (route: Route) => {
      await held.opened;
      await route.continue();
    });
    const opened = streams.opened;
    server.pause();
    await expect(indicator).toHaveAttribute('data-state', 'Reconnecting', { timeout: 10_000 });
    await expect.poll(() => streams.opened, { timeout: 10_000 }).toBeGreaterThan(opened);
    server.resume();
    await add('Missed while away');
    held.open();
    await expect(indicator).toHaveAttribute('data-state', 'Connected', { timeout: 15_000 });
    await expect(coachee.getByTestId('agreement').filter({ hasText: 'Missed while away' })).toHaveCount(1);
    expect(streams.urls.at(-1)).toMatch(/lastEventId=\d+/);
    expect(refetched).toBe(0);
  } finally {
    await server.stop();
  }
});

test('a browser without Web Locks keeps a stream per tab, and every tab still works', async ({ browser }) => {
  const context = await browser.newContext();
  await context.addInitScript(() => Object.defineProperty(navigator, 'locks', { value: undefined }));
  const streams = watchStreams(context);
  const first = await context.newPage();
  await signInToDashboard(first, COACH);
  await first.goto('/dashboard?debug=sse');
  const second = await context.newPage();
  await second.goto('/dashboard?debug=sse');
  for (const tab of [first, second]) {
    await expect(tab.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
    await expect(tab.getByTestId('sse-debug')).toContainText('"leader": true');
  }
  await expect.poll(() => streams.open).toBe(2);
});
