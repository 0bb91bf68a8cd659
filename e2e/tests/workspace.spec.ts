import { test, expect, type Page } from '@playwright/test';
import { API_HEADERS, COACH, COACHEE, chooseRelationship, signInToDashboard } from '../fixtures';

/** The `data` of a JSON GET made with the page's own sign-in. */
async function apiGet(page: Page, path: string) {
  const response = await page.request.get(path, { headers: API_HEADERS });
  expect(response.ok(), `${path}: ${response.status()}`).toBe(true);
  return (await response.json()).data;
}

const chosen = (page: Page, picker: string) => page.getByTestId(picker).locator('option:checked');

test('a link to a session of another organization sets the header to it, with its people', async ({ page }) => {
  const samId = await signInToDashboard(page, COACHEE);
  // Sam works in two organizations; the first by name is chosen at first.
  await expect(chosen(page, 'organization-picker')).toHaveText('Northwind Coaching');
  await expect(chosen(page, 'relationship-picker')).toHaveText('Coached by Alex Morgan');

  const organizations: { id: string; name: string }[] = await apiGet(page, `/api/users/${samId}/organizations`);
  const riverside = organizations.find((o) => o.name === 'Riverside Mentoring')!;
  const [peers] = await apiGet(page, `/api/organizations/${riverside.id}/coaching_relationships`);
  const [checkIn] = await apiGet(
    page,
    `/api/coaching_sessions?coaching_relationship_id=${peers.id}&from_date=2000-01-01&to_date=2100-01-01`,
  );

  await page.goto(`/coaching-sessions/${checkIn.id}`);
  await expect(page.getByTestId('session-title')).toHaveText('Peer check-in');
  await expect(chosen(page, 'organization-picker')).toHaveText('Riverside Mentoring');
  await expect(chosen(page, 'relationship-picker')).toHaveText('Coached by Jordan Lee');
  // The people an action can be assigned to are this relationship's.
  await page.getByText('Add an action').click();
  const assignees = page.getByRole('group', { name: 'Assigned to' }).getByRole('checkbox');
  await expect(assignees).toHaveCount(2);
  await expect(page.getByRole('checkbox', { name: 'Jordan Lee' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Sam Rivera' })).toBeVisible();

  // And back: a session of the first organization sets the header back.
  await page.goBack();
  await expect(page.getByTestId('welcome')).toBeVisible();
  await expect(chosen(page, 'organization-picker')).toHaveText('Riverside Mentoring');
  await page.getByTestId('organization-picker').selectOption({ label: 'Northwind Coaching' });
  await page.getByRole('link', { name: /Getting started/ }).click();
  await expect(page.getByTestId('session-title')).toHaveText('Getting started');
  await expect(chosen(page, 'relationship-picker')).toHaveText('Coached by Alex Morgan');
});

test('an untitled session has the same name on the dashboard and on its page', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  const untitled = page.getByRole('link', { name: /Alex <> Sam/ }).first();
  await expect(untitled).toBeVisible();
  await untitled.click();
  await expect(page.getByTestId('session-title')).toHaveText('Alex <> Sam');
});

test('the session page says where the session stands, counts its panels, and splits actions into due and new', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await page.getByRole('link', { name: /Handling questions/ }).click();
  await expect(page.getByTestId('session-title')).toHaveText('Handling questions');
  await expect(page.getByTestId('session-state')).toHaveText('Held');
  await expect(page.getByTestId('session-relationship')).toHaveText('Coaching Sam Rivera');
  const agreements = page.getByRole('region', { name: /Agreements/ });
  await expect(agreements.getByTestId('panel-count')).toHaveText('2');
  await expect(page.getByRole('region', { name: /Goals/ }).getByTestId('panel-count')).toHaveText('1/3 in progress');
  // Its actions were made here: new, nothing due from before.
  await expect(page.getByTestId('actions').getByText('Draft the talk outline')).toBeVisible();
  await expect(page.getByTestId('due-actions')).toHaveCount(0);

  // The next session: scheduled, and the open actions of the one before are due in it.
  await expect(page.getByTestId('previous-session')).toContainText('Presence on stage');
  await page.getByTestId('next-session').getByRole('link').click();
  await expect(page.getByTestId('session-title')).toHaveText('Alex <> Sam');
  await expect(page.getByTestId('session-state')).toHaveText('Scheduled');
  await expect(page.getByTestId('previous-session')).toContainText('Handling questions');
  const due = page.getByTestId('due-actions');
  await expect(due.getByText('Draft the talk outline')).toBeVisible();
  await expect(due.getByText('Rehearse with two colleagues')).toBeVisible();
  await expect(due.getByText('Record a five-minute practice run')).toHaveCount(0);
  await expect(page.getByRole('region', { name: /Actions/ }).getByTestId('panel-count').first()).toHaveText('2');

  // Done in the due list: it leaves the list, and stays done after a reload.
  await due.getByRole('checkbox', { name: 'Draft the talk outline' }).click();
  await expect(due.getByText('Draft the talk outline')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('due-actions').getByText('Rehearse with two colleagues')).toBeVisible();
  await expect(page.getByTestId('due-actions').getByText('Draft the talk outline')).toHaveCount(0);
});

test('on a phone the header is one row, its menu opens the navigation, and no page scrolls sideways', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await signInToDashboard(page, COACHEE);
  const noSidewaysScroll = async () =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);

  // Measured once the stream is up: while it connects, the header says so in words.
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  const header = page.locator('.app-header');
  const rowHeight = (await page.getByRole('button', { name: 'Menu' }).boundingBox())!.height;
  expect((await header.boundingBox())!.height).toBeLessThan(rowHeight * 2 + 24);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await noSidewaysScroll();

  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('relationship-picker')).toBeVisible();
  await page.getByRole('link', { name: 'Actions', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'My actions' })).toBeVisible();
  await noSidewaysScroll();

  await page.goto('/dashboard');
  await page.getByRole('link', { name: /Handling questions/ }).click();
  await expect(page.getByTestId('session-title')).toHaveText('Handling questions');
  await noSidewaysScroll();
  await context.close();
});

test('the dashboard puts the next session first and shows a coach every coachee at a glance', async ({ page }) => {
  await signInToDashboard(page, COACH);
  const glances = page.getByTestId('coachee-glance');
  await expect(glances).toHaveCount(2);
  const jordan = glances.filter({ hasText: 'Jordan Lee' });
  await expect(jordan.getByTestId('glance-actions')).toHaveText('2 open · 1 overdue');
  await expect(jordan).toContainText('Next: ');
  await expect(glances.filter({ hasText: 'Sam Rivera' }).getByTestId('glance-actions')).toContainText(' open');

  await chooseRelationship(page, 'Coaching Sam Rivera');
  await expect(glances.filter({ hasText: 'Sam Rivera' })).toContainText('Shown below');
  await page.getByRole('button', { name: 'Show sessions with Jordan Lee' }).click();
  await expect(page.getByTestId('relationship-title')).toHaveText('Coaching Jordan Lee');
  await expect(jordan).toContainText('Shown below');
  const nextUp = page.getByTestId('next-up');
  await expect(nextUp).toContainText('Alex <> Jordan');
  await nextUp.getByRole('link', { name: 'Open the session' }).click();
  await expect(page.getByTestId('session-title')).toHaveText('Alex <> Jordan');
  await expect(page.getByTestId('session-state')).toHaveText('Scheduled');
});

test('on a wide screen the sidebar switches relationships, and hides and comes back as chosen', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInToDashboard(page, COACH);
  const sidebar = page.getByRole('complementary', { name: 'Workspace' });
  await expect(sidebar).toBeVisible();
  await sidebar.getByRole('button', { name: 'Coaching Jordan Lee' }).click();
  await expect(page.getByTestId('relationship-title')).toHaveText('Coaching Jordan Lee');
  await expect(sidebar.getByRole('button', { name: 'Coaching Jordan Lee' })).toHaveAttribute('aria-current', 'true');
  await expect(chosen(page, 'relationship-picker')).toHaveText('Coaching Jordan Lee');

  await sidebar.getByRole('button', { name: '« Hide sidebar' }).click();
  await expect(sidebar).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('welcome')).toBeVisible();
  await expect(sidebar).toBeHidden();
  await page.getByRole('button', { name: 'Show sidebar' }).click();
  await expect(sidebar).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
});
