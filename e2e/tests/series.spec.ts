import { test, expect, type Page } from '@playwright/test';
import { seriousViolations } from '../axe';
import { COACH, COACHEE, chooseRelationship, showLaterUntil, signInToDashboard } from '../fixtures';

const TITLE = 'Weekly check-in';

/** The rows of the series on a dashboard. */
const seriesRows = (page: Page) => page.getByTestId('session-row').filter({ hasText: TITLE });

test('a weekly series of six: made, one moved, the rest rescheduled, all deleted, both dashboards live', async ({ browser }) => {
  test.setTimeout(90_000);
  const coach = await (await browser.newContext()).newPage();
  const coachee = await (await browser.newContext()).newPage();
  await signInToDashboard(coach, COACH);
  await chooseRelationship(coach, 'Coaching Sam Rivera');
  await signInToDashboard(coachee, COACHEE);
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }

  // Made: every Monday at 9:00 on the coach's clock (Berlin), six times, with a meeting link.
  await coach.getByLabel('Coachee', { exact: true }).selectOption({ label: 'Sam Rivera' });
  await coach.getByLabel('Date and time (Europe/Berlin)').fill('2027-03-01T09:00');
  await coach.getByLabel('Title (optional)').fill(TITLE);
  await coach.getByLabel('Meeting link (optional)').fill('https://meet.example/weekly');
  await coach.getByLabel('Repeats').check();
  await expect(coach.getByTestId('repeat-fields')).toBeVisible();
  await coach.getByLabel('Number of sessions').fill('6');
  await coach.getByRole('button', { name: 'Schedule series' }).click();
  await expect(coach.getByTestId('scheduled')).toHaveText('Scheduled 6 sessions, Mon 1 Mar 2027, 09:00 to Mon 5 Apr 2027, 09:00.');
  // Both dashboards show the months of the series.
  await showLaterUntil(coach, seriesRows(coach).filter({ hasText: '5 Apr 2027' }));
  await showLaterUntil(coachee, seriesRows(coachee).filter({ hasText: '5 Apr 2027' }));
  await expect(seriesRows(coach)).toHaveCount(6);
  await expect(seriesRows(coach).first()).toContainText('Mon 1 Mar 2027, 09:00');
  await expect(seriesRows(coach).last()).toContainText('Mon 5 Apr 2027, 09:00');
  await expect(seriesRows(coach).first().getByTestId('series-badge')).toHaveText('Series');
  await expect(seriesRows(coach).first().getByRole('link', { name: `Join the meeting of ${TITLE}` }))
    .toHaveAttribute('href', 'https://meet.example/weekly');
  // The coachee's dashboard follows, on their own clock (New York).
  await expect(seriesRows(coachee)).toHaveCount(6);
  await expect(seriesRows(coachee).first()).toContainText('Mon 1 Mar 2027, 03:00');

  // The new screens have no serious accessibility violation, in either theme.
  await seriesRows(coach).first().getByRole('button', { name: 'Reschedule', exact: true }).click();
  await seriesRows(coach).first().getByLabel('The whole series').check();
  await expect(coach.getByTestId('series-reschedule')).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await coach.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(coach)).toEqual([]);
  }
  await seriesRows(coach).first().getByRole('button', { name: 'Reschedule', exact: true }).click();

  // One moved on its own: the third, to Wednesday 14:00.
  const third = seriesRows(coach).nth(2);
  await expect(third).toContainText('Mon 15 Mar 2027, 09:00');
  await third.getByRole('button', { name: 'Reschedule', exact: true }).click();
  await expect(third.getByLabel('This session only')).toBeChecked();
  await third.getByLabel('New date and time').fill('2027-03-17T14:00');
  await third.getByRole('button', { name: 'Save new time' }).click();
  await expect(coach.getByTestId('session-row').filter({ hasText: 'Wed 17 Mar 2027, 14:00' })).toHaveCount(1);
  await expect(coachee.getByTestId('session-row').filter({ hasText: 'Wed 17 Mar 2027, 09:00' })).toHaveCount(1);
  await expect(seriesRows(coachee)).toHaveCount(6);

  // The rest rescheduled: the whole series to 10:00, from its next session.
  const first = seriesRows(coach).first();
  await first.getByRole('button', { name: 'Reschedule', exact: true }).click();
  await first.getByLabel('The whole series').check();
  const form = coach.getByTestId('series-reschedule');
  await expect(form.getByLabel("Next session's date and time")).toHaveValue('2027-03-01T09:00');
  await expect(form.getByLabel('Number of sessions')).toHaveValue('6');
  await form.getByLabel("Next session's date and time").fill('2027-03-01T10:00');
  await form.getByRole('button', { name: 'Reschedule the series' }).click();
  await expect(coach.getByTestId('series-reschedule')).toHaveCount(0);
  await expect(seriesRows(coach)).toHaveCount(6);
  await expect(coach.getByTestId('session-row').filter({ hasText: ', 10:00' }).filter({ hasText: TITLE })).toHaveCount(6);
  await expect(coach.getByTestId('session-row').filter({ hasText: '17 Mar 2027' })).toHaveCount(0);
  await expect(coachee.getByTestId('session-row').filter({ hasText: '17 Mar 2027' })).toHaveCount(0);
  await expect(seriesRows(coachee).first()).toContainText('Mon 1 Mar 2027, 04:00');
  await coach.reload();
  await showLaterUntil(coach, seriesRows(coach).filter({ hasText: '5 Apr 2027' }));
  await expect(coach.getByTestId('session-row').filter({ hasText: ', 10:00' }).filter({ hasText: TITLE })).toHaveCount(6);

  // All deleted, after the warning that it cannot be undone.
  await seriesRows(coach).nth(1).getByRole('button', { name: `Delete the series of ${TITLE}` }).click();
  await expect(coach.getByText('Delete every session of this series still to come? Past ones stay. This cannot be undone.')).toBeVisible();
  await coach.getByRole('button', { name: 'Yes, delete the series' }).click();
  await expect(seriesRows(coach)).toHaveCount(0);
  await expect(seriesRows(coachee)).toHaveCount(0);
  await coachee.reload();
  await expect(coachee.getByTestId('previous-sessions')).toContainText('Handling questions');
  for (let i = 0; i < 4; i++) await coachee.getByRole('button', { name: 'Show later' }).click();
  await expect(coachee.getByRole('button', { name: 'Show later' })).toBeEnabled();
  await expect(seriesRows(coachee)).toHaveCount(0);
});

test('a bad repeat is named before anything is sent, and the phone layout does not scroll sideways', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await signInToDashboard(page, COACH);
  let sent = 0;
  page.on('request', (r) => { if (r.url().includes('/coaching_session_series')) sent++; });
  await page.getByLabel(/Date and time/).fill('2027-03-01T09:00');
  await page.getByLabel('Repeats').check();
  await page.getByLabel('Every (weeks)').fill('60');
  await page.getByRole('button', { name: 'Schedule series' }).click();
  await expect(page.getByRole('alert')).toHaveText('Repeat every 1 to 52 weeks.');
  expect(sent).toBe(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
});
