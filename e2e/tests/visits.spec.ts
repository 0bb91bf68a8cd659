import { test, expect, type Page } from '@playwright/test';
import { seriousViolations } from '../axe';
import { API_HEADERS, COACH, COACHEE, bothOnSession, chooseRelationship, signInToDashboard } from '../fixtures';
import { freePort, OwnServer } from '../server';

/** A JSON write with the page's own sign-in; the answer's `data`. */
async function apiWrite(page: Page, method: 'POST' | 'PUT', path: string, data: unknown) {
  const response = await page.request.fetch(path, { method, headers: API_HEADERS, data });
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()).data;
}

/** Schedules a titled session `days` from now in the relationship of the session on `page`. */
async function scheduleBeside(page: Page, days: number, title: string): Promise<{ id: string; relationship: string }> {
  const current = page.url().split('/').pop()!.split('?')[0];
  const session = (await (await page.request.get(`/api/coaching_sessions/${current}`, { headers: API_HEADERS })).json()).data;
  const day = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const made = await apiWrite(page, 'POST', '/api/coaching_sessions', {
    coaching_relationship_id: session.coaching_relationship_id,
    date: `${day}T10:00:00`,
    duration_minutes: 45,
    title,
  });
  return { id: made.id, relationship: session.coaching_relationship_id };
}

const markers = (page: Page) => page.getByTestId('new-marker');

/** No serious or critical axe violation in either theme, and no sideways scroll at 360 px. */
async function fitsEveryone(page: Page) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), scheme).toEqual([]);
  }
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  if (size) await page.setViewportSize(size);
}

test('what the other person changed since the last visit is marked new, until seen', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  const { id } = await scheduleBeside(coach, 30, 'Since last time');
  // Both open the new session once: their first visits mark nothing.
  for (const page of [coach, coachee]) {
    await page.goto(`/coaching-sessions/${id}`);
    await expect(page.getByTestId('session-title')).toHaveText('Since last time');
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  await expect(markers(coach)).toHaveCount(0);
  await expect(coach.getByTestId('since-banner')).toHaveCount(0);

  // The coach leaves; the coachee adds a topic and an agreement and writes in the notes.
  await coach.goto('/dashboard');
  await expect(coach.getByTestId('welcome')).toBeVisible();
  await coachee.getByLabel('New topic').fill('Stage fright again');
  await coachee.getByRole('button', { name: 'Add topic' }).click();
  await expect(coachee.getByTestId('topic').filter({ hasText: 'Stage fright again' })).toHaveCount(1);
  await coachee.getByLabel('New agreement').fill('Sam rehearses twice');
  await coachee.getByRole('button', { name: 'Add agreement' }).click();
  await expect(coachee.getByTestId('agreement').filter({ hasText: 'Sam rehearses twice' })).toHaveCount(1);
  await coachee.getByLabel('Session notes').fill('Sam wants to talk about the next conference.');
  await expect(coachee.getByTestId('notes-state')).toHaveText('Saved');
  // Meanwhile the coach adds a topic from elsewhere: their own change is never new to them.
  await apiWrite(coach, 'POST', `/api/coaching_sessions/${id}/topics`, { body: 'Coach’s own topic' });

  // Back on the session, the coach sees the coachee's changes marked, and only those.
  await coach.goto(`/coaching-sessions/${id}`);
  const banner = coach.getByTestId('since-banner');
  await expect(banner).toContainText('Changed since your last visit');
  await expect(banner).toContainText('1 topic, 1 agreement and the notes');
  await expect(coach.getByTestId('topic').filter({ hasText: 'Stage fright again' }).getByTestId('new-marker')).toBeVisible();
  await expect(coach.getByTestId('topic').filter({ hasText: 'Coach’s own topic' }).getByTestId('new-marker')).toHaveCount(0);
  await expect(coach.getByTestId('agreement').filter({ hasText: 'Sam rehearses twice' }).getByTestId('new-marker')).toBeVisible();
  await expect(coach.getByRole('heading', { name: /Notes/ }).getByTestId('new-marker')).toBeVisible();
  await expect(markers(coach)).toHaveCount(3);
  await fitsEveryone(coach);

  // The coachee, coming back, sees the coach's topic new, not their own changes.
  await coachee.reload();
  await expect(coachee.getByTestId('topic').filter({ hasText: 'Coach’s own topic' }).getByTestId('new-marker')).toBeVisible();
  await expect(markers(coachee)).toHaveCount(1);

  // "Mark as seen" clears them; so does the next visit.
  await banner.getByRole('button', { name: 'Mark as seen' }).click();
  await expect(markers(coach)).toHaveCount(0);
  await expect(banner).toHaveCount(0);
  await coachee.reload();
  await expect(coachee.getByTestId('topic').filter({ hasText: 'Coach’s own topic' })).toHaveCount(1);
  await expect(markers(coachee)).toHaveCount(0);
});

test('goal progress on the session page and the dashboard follows the actions, live', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  const { id, relationship } = await scheduleBeside(coach, 20, 'Progress check');
  const goal = await apiWrite(coach, 'POST', '/api/goals', {
    coaching_relationship_id: relationship,
    status: 'NotStarted',
    title: 'Speak at a meetup',
  });
  await apiWrite(coach, 'POST', `/api/coaching_sessions/${id}/goals`, { goal_id: goal.id });
  for (const body of ['Pick a talk', 'Write the abstract']) {
    await apiWrite(coach, 'POST', '/api/actions', { coaching_session_id: id, status: 'NotStarted', body, goal_id: goal.id });
  }
  for (const page of [coach, coachee]) {
    await page.goto(`/coaching-sessions/${id}`);
    await expect(page.getByTestId('session-title')).toHaveText('Progress check');
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  const progress = (page: Page) => page.getByTestId('goal').filter({ hasText: 'Speak at a meetup' }).getByTestId('goal-progress');
  await expect(progress(coach)).toContainText('0 of 2 actions done');
  await expect(progress(coach)).toContainText('In 1 session');

  // A fourth goal in progress: the offer to put one on hold passes axe and fits a phone too.
  for (const title of ['Second goal', 'Third goal']) {
    await apiWrite(coach, 'POST', '/api/goals', { coaching_relationship_id: relationship, status: 'NotStarted', title });
  }
  const goals = coach.getByRole('region', { name: 'Goals' });
  for (const title of ['Second goal', 'Third goal']) {
    await goals.getByTestId('goal').filter({ hasText: title }).getByLabel(/^Status of/).selectOption('InProgress');
  }
  await expect(goals.getByTestId('goal-swap')).toBeVisible();
  await fitsEveryone(coach);
  await goals.getByTestId('goal-swap').getByRole('button', { name: 'Cancel' }).click();

  // The coachee ticks an action; the coach's progress follows without a reload.
  const tick = coachee.getByTestId('action').filter({ hasText: 'Pick a talk' }).getByRole('checkbox');
  await tick.click();
  await expect(tick).toBeChecked();
  await expect(progress(coach)).toContainText('1 of 2 actions done');
  await expect(progress(coachee)).toContainText('1 of 2 actions done');

  // The dashboard shows the goals in progress with the same progress.
  await coachee.goto('/dashboard');
  const card = coachee.getByTestId('dashboard-goal').filter({ hasText: 'Speak at a meetup' });
  await expect(card.getByTestId('goal-progress-actions')).toHaveText('1 of 2 actions done');
  await fitsEveryone(coachee);
});

test('a link names a panel or highlights an action, as the mails do', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await page.getByRole('link', { name: /Getting started/ }).click();
  await expect(page.getByTestId('session-title')).toHaveText('Getting started');
  const session = page.url();
  const action = await apiWrite(page, 'POST', '/api/actions', {
    coaching_session_id: session.split('/').pop(),
    status: 'NotStarted',
    body: 'Send the slides',
  });

  await page.goto(`${session}?highlight=${action.id}`);
  const row = page.getByTestId('action').filter({ hasText: 'Send the slides' });
  await expect(row).toHaveAttribute('data-highlighted', 'true');
  await expect(row).toBeFocused();
  await expect(row).toBeInViewport();
  await expect(page.getByTestId('action').and(page.locator('[data-highlighted]'))).toHaveCount(1);

  await page.goto(`${session}?panel=goals`);
  await expect(page.getByRole('heading', { name: /^Goals/ })).toBeFocused();
  // The reference's older name for it, too.
  await page.goto(`${session}?tab=agreements`);
  await expect(page.getByRole('heading', { name: /^Agreements/ })).toBeFocused();
});

test('a person in several organizations lands on one where they have a relationship', async ({ browser }) => {
  test.setTimeout(90_000);
  const server = new OwnServer(await freePort(), [], { demo: true });
  await server.start();
  try {
    // An administrator puts Sam in a new organization, first by name, with no relationship.
    const printed = await server.admin(
      'create-superadmin', '--email', 'ada@e2e.test', '--first-name', 'Ada', '--last-name', 'Admin',
    );
    const setupLink = printed.match(/https?:\/\/\S+\/setup\/\S+/)?.[0];
    expect(setupLink, printed).toBeTruthy();
    const admin = await (await browser.newContext({ baseURL: server.base })).newPage();
    await admin.goto(setupLink!);
    await admin.getByLabel('New password', { exact: true }).fill('a-good-long-password');
    await admin.getByLabel('Confirm password').fill('a-good-long-password');
    await admin.getByRole('button', { name: 'Set password' }).click();
    await expect(admin).toHaveURL(/\/dashboard$/);
    const aardvark = await apiWrite(admin, 'POST', '/api/organizations', { name: 'Aardvark Advisors' });
    const found = await admin.request.get(`/api/users?email=${COACHEE.email}`, { headers: API_HEADERS });
    const [sam] = (await found.json()).data;
    await apiWrite(admin, 'POST', `/api/organizations/${aardvark.id}/users/${sam.id}/role`, { role: 'User' });

    // Sam signs in on a new browser: not in the empty organization, but where Alex coaches them.
    const page = await (await browser.newContext({ baseURL: server.base })).newPage();
    await signInToDashboard(page, COACHEE);
    const chosen = (picker: string) => page.getByTestId(picker).locator('option:checked');
    await expect(chosen('organization-picker')).toHaveText('Northwind Coaching');
    await expect(page.getByTestId('relationship-title')).toHaveText('Coached by Alex Morgan');
    await expect(page.getByTestId('organization-picker').locator('option')).toHaveText([
      'Aardvark Advisors', 'Northwind Coaching', 'Riverside Mentoring',
    ]);

    // Picked by the person, the empty organization stays picked.
    await page.getByTestId('organization-picker').selectOption({ label: 'Aardvark Advisors' });
    await expect(page.getByText('You have no coaching relationships yet')).toBeVisible();
    await page.reload();
    await expect(chosen('organization-picker')).toHaveText('Aardvark Advisors');
    await expect(page.getByText('You have no coaching relationships yet')).toBeVisible();
  } finally {
    await server.stop();
  }
});
