import { test, expect, type Request } from '@playwright/test';
import { COACH, COACHEE, chooseRelationship, showLaterUntil, signInToDashboard, gate } from '../fixtures';

test('the coach schedules, reschedules and deletes a session, and each change survives a reload', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await expect(page.getByTestId('relationship-title')).toHaveText('Coaching Sam Rivera');
  // Demo sessions are there, in both lists.
  await expect(page.getByTestId('previous-sessions')).toContainText('Handling questions');
  await expect(page.getByTestId('upcoming-sessions').getByTestId('session-row')).toHaveCount(2);

  // Schedule: times are entered and shown on the coach's clock (Europe/Berlin).
  await page.getByLabel('Date and time (Europe/Berlin)').fill('2027-05-05T10:00');
  await page.getByLabel('Duration (minutes)').fill('45');
  await page.getByLabel('Title (optional)').fill('Planning the talk');
  await page.getByRole('button', { name: 'Schedule session' }).click();
  await expect(page.getByTestId('scheduled')).toHaveText('Scheduled for Wed 5 May 2027, 10:00.');
  // Months ahead: beyond the dates the list shows at first.
  const row = page.getByTestId('session-row').filter({ hasText: 'Planning the talk' });
  await showLaterUntil(page, row);
  await expect(row).toContainText('Wed 5 May 2027, 10:00');
  await expect(row).toContainText('45 min');
  await page.reload();
  await showLaterUntil(page, row);
  await expect(row).toContainText('Wed 5 May 2027, 10:00');

  // Reschedule.
  await row.getByRole('button', { name: 'Reschedule' }).click();
  await row.getByLabel('New date and time').fill('2027-05-06T11:30');
  await row.getByLabel('Duration (minutes)').fill('90');
  await row.getByRole('button', { name: 'Save new time' }).click();
  await expect(row).toContainText('Thu 6 May 2027, 11:30');
  await expect(row).toContainText('1 h 30 min');
  await page.reload();
  await showLaterUntil(page, row);
  await expect(row).toContainText('Thu 6 May 2027, 11:30');

  // Delete, after confirming.
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(row).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('previous-sessions')).toContainText('Handling questions');
  await expect(row).toHaveCount(0);
});

test('a bad schedule is explained and nothing is sent', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await page.getByLabel('Duration (minutes)').first().fill('600');
  await page.getByLabel(/Date and time/).fill('2027-05-05T10:00');
  await page.getByRole('button', { name: 'Schedule session' }).click();
  await expect(page.getByRole('alert')).toHaveText('The duration must be between 1 and 480 minutes.');
});

test('the coachee sees the sessions but none of the coach-only controls', async ({ page }) => {
  await signInToDashboard(page, COACHEE);
  await expect(page.getByTestId('relationship-title')).toHaveText('Coached by Alex Morgan');
  await expect(page.getByTestId('previous-sessions')).toContainText('Handling questions');
  await expect(page.getByRole('heading', { name: 'Schedule a session' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reschedule' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  // One click opens a session.
  await page.getByRole('link', { name: /Handling questions/ }).click();
  await expect(page).toHaveURL(/\/coaching-sessions\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('session-title')).toHaveText('Handling questions');
});

test('a returning person’s dashboard asks for its data all at once, and each thing once', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await expect(page.getByTestId('previous-sessions')).toBeVisible();
  const started: string[] = [];
  let startedBeforeFirstAnswer = -1;
  let streams = 0;
  // Only what the reloaded page asks for counts: a request the page before it still had on
  // its way may start or finish after these listeners are in place.
  let reloaded = false;
  const ours = new Set<Request>();
  // The event stream never finishes, so it is counted apart from the data requests.
  const isData = (path: string) => path.startsWith('/api/') && path !== '/api/sse';
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) reloaded = true;
    if (!reloaded) return;
    const url = new URL(request.url());
    if (url.pathname === '/api/sse') streams += 1;
    else if (isData(url.pathname)) {
      started.push(url.pathname + url.search);
      ours.add(request);
    }
  });
  page.on('requestfinished', (request) => {
    if (ours.has(request) && startedBeforeFirstAnswer < 0) startedBeforeFirstAnswer = started.length;
  });
  await page.reload();
  await expect(page.getByTestId('previous-sessions')).toContainText('Handling questions');
  expect(started.filter((p) => p.endsWith('/organizations'))).toHaveLength(1);
  expect(started.filter((p) => p.endsWith('/coaching_relationships'))).toHaveLength(1);
  // The sessions of each coachee (the list below, and the glance at the other): each once.
  const sessions = started.filter((p) => p.startsWith('/api/coaching_sessions?'));
  expect(sessions).toHaveLength(2);
  expect(new Set(sessions).size).toBe(2);
  expect(started.filter((p) => p.includes('/actions')).length).toBe(new Set(started.filter((p) => p.includes('/actions'))).size);
  await expect.poll(() => streams).toBe(1);
  // The three went out together: none waited for another's answer.
  expect(startedBeforeFirstAnswer).toBeGreaterThanOrEqual(3);
});

test('a remembered relationship that is no longer there falls back to one that is', async ({ page }) => {
  const me = await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await expect(page.getByTestId('relationship-title')).toHaveText('Coaching Sam Rivera');
  await page.evaluate((me) => {
    const key = 'tandem::stores::preferences::Preferences';
    const stored = JSON.parse(localStorage.getItem(key) ?? '{"chosen":{}}');
    stored.chosen[me].relationship = '00000000-0000-4000-8000-000000000000';
    localStorage.setItem(key, JSON.stringify(stored));
  }, me);
  await page.reload();
  await expect(page.getByTestId('relationship-title')).toHaveText(/^Coaching /);
  await expect(page.getByTestId('upcoming-sessions').or(page.getByText('No upcoming sessions.'))).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a slow answer does not hold the page blank: it draws its loading state, then the data', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await expect(page.getByTestId('previous-sessions')).toBeVisible();
  const released = gate();
  // The organizations answer is held back until the test lets it go (a slow network).
  await page.route('**/api/users/*/organizations', async (route) => {
    await released.opened;
    await route.continue();
  });
  await page.reload();
  // The app draws without it: the header and the welcome, and the page says what it waits for.
  await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${COACH.name}`);
  await expect(page.getByText('Loading your coaching relationships…')).toBeVisible();
  released.open();
  await expect(page.getByTestId('previous-sessions')).toContainText('Handling questions');
});

test('sessions are grouped with counts, paged by window, and the coachee shown is in the address', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Jordan Lee');
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await expect(page).toHaveURL(/\/dashboard\?rel=[0-9a-f-]{36}$/);
  const samUrl = page.url();
  // The demo's five sessions of Sam, from four weeks back to ten days ahead, in groups.
  const groups = page.getByTestId('session-group');
  await expect(groups.first()).toBeVisible();
  for (const text of await groups.allTextContents()) expect(text).toMatch(/^(Today|This week|[A-Z][a-z]+ \d{4}) \(\d+\)$/);
  await expect(page.getByRole('heading', { name: /^Upcoming \(2\)$/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Previous \(3\)$/ })).toBeVisible();
  // Paging asks the server for a wider window, not for a year at once.
  const asked = page.waitForRequest((r) => r.url().includes('/api/coaching_sessions?'));
  await page.getByRole('button', { name: 'Show earlier' }).click();
  const url = new URL((await asked).url());
  const days = (Date.parse(url.searchParams.get('to_date')!) - Date.parse(url.searchParams.get('from_date')!)) / 86_400_000;
  expect(days).toBe(56 * 3);
  await expect(page.getByRole('heading', { name: /^Previous \(3\)$/ })).toBeVisible();

  // Another coachee: the address follows, and a reload keeps them.
  await page.getByRole('button', { name: 'Show sessions with Jordan Lee' }).click();
  await expect(page.getByTestId('relationship-title')).toHaveText('Coaching Jordan Lee');
  await expect(page).not.toHaveURL(samUrl);
  await page.reload();
  await expect(page.getByTestId('relationship-title')).toHaveText('Coaching Jordan Lee');
  // A link to Sam's shows Sam's.
  await page.goto(samUrl);
  await expect(page.getByTestId('relationship-title')).toHaveText('Coaching Sam Rivera');
  await expect(page).toHaveURL(samUrl);
});
