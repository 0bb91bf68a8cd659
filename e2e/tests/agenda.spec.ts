import { test, expect, type Page } from '@playwright/test';
import { seriousViolations } from '../axe';
import { API_HEADERS, bothOnSession } from '../fixtures';

/** The topics on a page, in their order. */
const order = (page: Page) => page.getByTestId('topic').locator('.item-text');

/** Schedules a titled session of the relationship `days` from now, as the coach; its id. */
async function schedule(page: Page, relationship: string, days: number, title: string): Promise<string> {
  const day = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const made = await page.request.post('/api/coaching_sessions', {
    headers: API_HEADERS,
    data: { coaching_relationship_id: relationship, date: `${day}T10:00:00`, duration_minutes: 45, title },
  });
  expect(made.ok()).toBeTruthy();
  return (await made.json()).data.id;
}

test('both build the agenda live: add, prioritize, reorder by keyboard, defer and undo', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  const current = coach.url().split('/').pop();
  const relationship = (await (await coach.request.get(`/api/coaching_sessions/${current}`, { headers: API_HEADERS })).json())
    .data.coaching_relationship_id;
  const first = await schedule(coach, relationship, 40, 'Agenda first');
  const next = await schedule(coach, relationship, 41, 'Agenda next');
  await coach.goto(`/coaching-sessions/${first}`);
  await coachee.goto(`/coaching-sessions/${first}`);
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('session-title')).toHaveText('Agenda first');
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }

  for (const body of ['Stage fright', 'Questions from the floor', 'Next talk']) {
    await coachee.getByLabel('New topic').fill(body);
    await coachee.getByRole('button', { name: 'Add topic' }).click();
    await expect(coachee.getByTestId('topic').filter({ hasText: body })).toHaveCount(1);
  }
  await expect(order(coach)).toHaveText(['Stage fright', 'Questions from the floor', 'Next talk']);

  // The coachee rates; the coach sees it, read-only.
  await coachee.getByTestId('topic').filter({ hasText: 'Next talk' }).getByLabel('Priority').selectOption('High');
  const rated = coach.getByTestId('topic').filter({ hasText: 'Next talk' });
  await expect(rated.getByTestId('topic-priority')).toHaveText('Priority: High');
  await expect(rated.getByLabel('Priority')).toHaveCount(0);

  // The coach moves "Next talk" to the top by keyboard; the coachee follows from the event alone.
  const topicRequests: string[] = [];
  coachee.on('request', (r) => {
    if (r.url().includes('/topics')) topicRequests.push(r.url());
  });
  const up = coach.getByRole('button', { name: 'Move up: Next talk' });
  await up.focus();
  await coach.keyboard.press('Enter');
  await expect(coach.getByTestId('topics-announcement')).toHaveText('“Next talk” moved to position 2 of 3.');
  await coach.getByRole('button', { name: 'Move up: Next talk' }).focus();
  await coach.keyboard.press('Enter');
  await expect(coach.getByTestId('topics-announcement')).toHaveText('“Next talk” moved to position 1 of 3.');
  await expect(order(coach)).toHaveText(['Next talk', 'Stage fright', 'Questions from the floor']);
  await expect(order(coachee)).toHaveText(['Next talk', 'Stage fright', 'Questions from the floor'], { timeout: 1_000 });
  expect(topicRequests).toEqual([]);

  // The coach defers one: it leaves both screens, sits on the next session; Undo brings it back.
  await coach.getByTestId('topic').filter({ hasText: 'Stage fright' }).getByLabel('Status').selectOption('Deferred');
  await expect(coach.getByTestId('undo-toast')).toContainText('Topic moved to the next session.');
  for (const page of [coach, coachee]) {
    await expect(order(page)).toHaveText(['Next talk', 'Questions from the floor']);
  }
  const moved = await (await coach.request.get(`/api/coaching_sessions/${next}/topics`, { headers: API_HEADERS })).json();
  expect(moved.data.map((t: { body: string }) => t.body)).toEqual(['Stage fright']);
  await coach.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
  // Tandem's server puts a topic brought back from the next session at the end of the agenda.
  for (const page of [coach, coachee]) {
    await expect(order(page)).toHaveText(['Next talk', 'Questions from the floor', 'Stage fright']);
  }
  const back = await (await coach.request.get(`/api/coaching_sessions/${next}/topics`, { headers: API_HEADERS })).json();
  expect(back.data).toEqual([]);
});

test('edit, delete with undo, and a deferral with no later session says why', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  const current = coach.url().split('/').pop();
  const relationship = (await (await coach.request.get(`/api/coaching_sessions/${current}`, { headers: API_HEADERS })).json())
    .data.coaching_relationship_id;
  // The last session of all: nothing comes after it.
  const last = await schedule(coach, relationship, 300, 'Agenda last');
  await coach.goto(`/coaching-sessions/${last}`);
  await coachee.goto(`/coaching-sessions/${last}`);
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  await coach.getByLabel('New topic').fill('Budget');
  await coach.getByRole('button', { name: 'Add topic' }).click();
  const theirs = coachee.getByTestId('topic').filter({ hasText: 'Budget' });
  await theirs.getByRole('button', { name: 'Edit topic: Budget' }).click();
  await coachee.getByLabel('Topic', { exact: true }).fill('Budget for the team');
  await coachee.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(coach.getByTestId('topic')).toHaveText(/Budget for the team/);

  // "Insert into notes" appends the topic to the shared notes, on both screens.
  await expect(coach.getByLabel('Session notes')).toBeEditable();
  await coach.getByRole('button', { name: 'Insert into notes: Budget for the team' }).click();
  for (const page of [coach, coachee]) {
    await expect(page.getByLabel('Session notes')).toHaveText(/Budget for the team/);
  }

  await coach.getByTestId('topic').getByLabel('Status').selectOption('Deferred');
  await expect(coach.getByText('There is no later session to move this topic to')).toBeVisible();

  await coach.getByRole('button', { name: 'Delete topic: Budget for the team' }).click();
  for (const page of [coach, coachee]) await expect(page.getByTestId('topic')).toHaveCount(0);
  // The toast is reachable from the keyboard: Tab from the panel's last control reaches Undo.
  const undo = coach.getByTestId('undo-toast').getByRole('button', { name: 'Undo' });
  await undo.focus();
  await coach.keyboard.press('Enter');
  for (const page of [coach, coachee]) await expect(page.getByTestId('topic')).toHaveText(/Budget for the team/);
});

test('a session whose day is over takes no new topics', async ({ browser }) => {
  const { coach } = await bothOnSession(browser, 'Getting started');
  await expect(coach.getByTestId('topics-locked')).toHaveText(
    "This session's day is over: add new topics to the next session.",
  );
  await expect(coach.getByLabel('New topic')).toHaveCount(0);
});

test('topics reorder by drag; the agenda and its undo toast pass axe in both themes and fit 360 px', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  const current = coach.url().split('/').pop();
  const relationship = (await (await coach.request.get(`/api/coaching_sessions/${current}`, { headers: API_HEADERS })).json())
    .data.coaching_relationship_id;
  const upcoming = await schedule(coach, relationship, 50, 'Agenda checked');
  await coach.goto(`/coaching-sessions/${upcoming}`);
  await coachee.goto(`/coaching-sessions/${upcoming}`);
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  for (const body of ['A topic with a rather long text that has to wrap on a phone screen', 'Second', 'Third']) {
    await coachee.getByLabel('New topic').fill(body);
    await coachee.getByRole('button', { name: 'Add topic' }).click();
    await expect(coachee.getByTestId('topic').filter({ hasText: body })).toHaveCount(1);
  }
  // Drag and drop: "Second" dropped on the first row takes its place.
  await coachee.evaluate(() => {
    const rows = [...document.querySelectorAll('[data-testid="topic"]')];
    const data = new DataTransfer();
    const fire = (row: Element, type: string) =>
      row.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
    fire(rows[1], 'dragstart');
    fire(rows[0], 'dragover');
    fire(rows[0], 'drop');
    fire(rows[1], 'dragend');
  });
  await expect(order(coachee)).toHaveText([
    'Second',
    'A topic with a rather long text that has to wrap on a phone screen',
    'Third',
  ]);
  await expect(order(coach)).toHaveText(['Second', 'A topic with a rather long text that has to wrap on a phone screen', 'Third']);
  await coachee.getByRole('button', { name: 'Delete topic: Third' }).click();
  await expect(coachee.getByTestId('undo-toast')).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await coachee.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(coachee), scheme).toEqual([]);
  }
  await coachee.setViewportSize({ width: 360, height: 740 });
  await expect(coachee.getByTestId('topic')).toHaveCount(2);
  expect(
    await coachee.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBe(0);
});
