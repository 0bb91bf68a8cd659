import { test, expect } from '@playwright/test';
import { API_HEADERS, COACH, COACHEE, DEMO_PASSWORD, JORDAN, bothOnSession, chooseRelationship, followToSession, signIn, signInToDashboard } from '../fixtures';
import { OwnServer, freePort } from '../server';

test('agreements, actions and notes follow from one screen to the other without reload', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');

  await coach.getByLabel('New agreement').fill('Live agreement');
  await coach.getByRole('button', { name: 'Add agreement' }).click();
  const agreement = coachee.getByTestId('agreement').filter({ hasText: 'Live agreement' });
  await expect(agreement).toHaveCount(1);
  await agreement.getByRole('button', { name: /^Edit agreement/ }).click();
  await coachee.getByLabel('Agreement', { exact: true }).fill('Live agreement, edited');
  await coachee.getByRole('button', { name: 'Save', exact: true }).click();
  const edited = coach.getByTestId('agreement').filter({ hasText: 'Live agreement, edited' });
  await expect(edited).toHaveCount(1);
  await edited.getByRole('button', { name: 'Delete' }).click();
  await edited.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(coachee.getByTestId('agreement').filter({ hasText: 'Live agreement' })).toHaveCount(0);

  await coachee.getByText('Add an action').click();
  const form = coachee.locator('details.add-details form');
  await form.getByLabel('What will be done').fill('Live action');
  await form.getByRole('button', { name: 'Add action' }).click();
  const action = coach.getByTestId('action').filter({ hasText: 'Live action' });
  await expect(action).toContainText('Not started');
  await action.getByRole('checkbox').click();
  await expect(coachee.getByTestId('action').filter({ hasText: 'Live action' })).toContainText('Completed');
  await action.getByRole('button', { name: 'Delete' }).click();
  await action.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(coachee.getByTestId('action').filter({ hasText: 'Live action' })).toHaveCount(0);

  await coach.getByLabel('Session notes').fill('Written live by the coach.');
  await coach.getByRole('heading', { name: 'Notes' }).click();
  await expect(coachee.getByLabel('Session notes')).toHaveText('Written live by the coach.');
  // No duplicate and no flash on the writer's own screen.
  await expect(coach.getByTestId('action').filter({ hasText: 'Live action' })).toHaveCount(0);
});

test('goals, links and the title follow from one screen to the other without reload', async ({ browser }) => {
  // Jordan's sessions: the other suites rely on Sam's titles.
  const { coach, coachee } = await bothOnSession(browser, 'Feedback that lands', { person: JORDAN });

  await coach.getByLabel('New goal').fill('Live goal');
  await coach.getByRole('button', { name: 'Add goal' }).click();
  const goal = coachee.getByTestId('goal').filter({ hasText: 'Live goal' });
  await expect(goal).toHaveCount(1);
  await goal.getByRole('button', { name: 'Link to session' }).click();
  const coachGoal = coach.getByTestId('goal').filter({ hasText: 'Live goal' });
  await expect(coachGoal.getByTestId('linked-badge')).toBeVisible();
  await expect(coachGoal.getByLabel(/^Status of/)).toHaveValue('InProgress');
  await coachGoal.getByRole('button', { name: 'Unlink from session' }).click();
  await expect(goal.getByTestId('linked-badge')).toHaveCount(0);
  await goal.getByLabel(/^Status of/).selectOption('OnHold');
  await expect(coachGoal.getByLabel(/^Status of/)).toHaveValue('OnHold');
  await coachGoal.getByRole('button', { name: 'Delete' }).click();
  await coachGoal.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(goal).toHaveCount(0);

  const coachRequests: string[] = [];
  coach.on('request', (request) => {
    if (!request.url().includes('/api/sse')) coachRequests.push(request.url());
  });
  await coachee.getByRole('button', { name: 'Edit title' }).click();
  await coachee.getByLabel('Session title').fill('Feedback, live');
  await coachee.getByLabel('Session title').press('Enter');
  await expect(coach.getByTestId('session-title')).toHaveText('Feedback, live');
  // The event carries the session [extension]: the coach's page asks the server for nothing.
  expect(coachRequests).toEqual([]);
});

test('a server restart mid-session: the indicator says so, and changes made meanwhile appear', async ({ browser }) => {
  const server = new OwnServer(await freePort());
  await server.start();
  try {
    const coachContext = await browser.newContext({ baseURL: server.base });
    const coacheeContext = await browser.newContext({ baseURL: server.base });
    const coach = await coachContext.newPage();
    const coachee = await coacheeContext.newPage();
    await signInToDashboard(coach, COACH);
    await chooseRelationship(coach, 'Coaching Sam Rivera');
    await followToSession(coach, coach.getByRole('link', { name: /Getting started/ }));
    await signInToDashboard(coachee, COACHEE);
    await coachee.goto(coach.url());
    const indicator = coachee.getByTestId('connection-indicator');
    await expect(indicator).toHaveAttribute('data-state', 'Connected');
    await expect(indicator).toHaveText('');

    await server.stop();
    await expect(indicator).toContainText('Reconnecting (attempt');
    await server.start();
    // A change made while the coachee's browser is still finding its way back.
    const session = coach.url().split('/').pop();
    const made = await coach.request.post('/api/agreements', {
      headers: API_HEADERS,
      data: { coaching_session_id: session, body: 'Made during the outage' },
    });
    expect(made.ok()).toBeTruthy();
    await expect(indicator).toHaveAttribute('data-state', 'Connected', { timeout: 20_000 });
    await expect(coachee.getByTestId('agreement').filter({ hasText: 'Made during the outage' })).toHaveCount(1);
  } finally {
    await server.stop();
  }
});

test('a password change signs the other session out and says why', async ({ browser }) => {
  const here = await (await browser.newContext()).newPage();
  const elsewhere = await (await browser.newContext()).newPage();
  const id = await signInToDashboard(here, COACHEE);
  await signInToDashboard(elsewhere, COACHEE);
  await expect(elsewhere.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  const changed = await here.request.put(`/api/users/${id}/password`, {
    headers: API_HEADERS,
    data: { current_password: DEMO_PASSWORD, new_password: 'a new password', confirm_password: 'a new password' },
  });
  expect(changed.ok()).toBeTruthy();
  await expect(elsewhere).toHaveURL(/\/login\?reason=forced_logout&message=/);
  await expect(elsewhere.getByTestId('login-reason')).toHaveText('You were signed out: Your password was changed.');
  // Put things back for the other tests.
  await here.request.put(`/api/users/${id}/password`, {
    headers: API_HEADERS,
    data: { current_password: 'a new password', new_password: DEMO_PASSWORD, confirm_password: DEMO_PASSWORD },
  });
  await signIn(elsewhere, COACHEE.email);
  await expect(elsewhere).toHaveURL(/\/dashboard$/);
});

test('the watchdog notices a connection that went silent and recovers when bytes flow again', async ({ browser }) => {
  // Heartbeats every second, and a watchdog of three seconds instead of 45.
  const server = new OwnServer(await freePort(), ['--sse-keepalive-secs', '1']);
  await server.start();
  try {
    const context = await browser.newContext({ baseURL: server.base });
    await context.addInitScript(() => localStorage.setItem('tandem:sse-watchdog-ms', '3000'));
    const page = await context.newPage();
    await signInToDashboard(page, COACHEE);
    await page.goto('/dashboard?debug=sse');
    const indicator = page.getByTestId('connection-indicator');
    await expect(indicator).toHaveAttribute('data-state', 'Connected');
    // A heartbeat has arrived (the debug panel shows the store), so the watchdog is armed.
    await expect(page.getByTestId('sse-debug')).toContainText(/"last_event_at": \d/);

    server.pause();
    await expect(indicator).toContainText('Reconnecting (attempt', { timeout: 15_000 });
    server.resume();
    await expect(indicator).toHaveAttribute('data-state', 'Connected', { timeout: 20_000 });
  } finally {
    await server.stop();
  }
});
