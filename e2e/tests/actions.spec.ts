import { test, expect } from '@playwright/test';
import { COACH, COACHEE, JORDAN, signInToDashboard } from '../fixtures';

test('my actions lists what is assigned to me, filters by status, and marks overdue ones', async ({ page }) => {
  await signInToDashboard(page, JORDAN);
  await page.getByRole('link', { name: 'Actions', exact: true }).click();
  const actions = page.getByTestId('my-action');
  await expect(actions.filter({ hasText: 'Book a monthly slot with a mentee' })).toHaveCount(1);
  const late = actions.filter({ hasText: 'Write down three feedback examples' });
  await expect(late).toContainText('overdue');
  await page.getByLabel('Status').selectOption('OnHold');
  await expect(actions).toHaveCount(1);
  await expect(late).toHaveCount(1);
  await page.getByLabel('Status').selectOption('Completed');
  await expect(page.getByText('No actions match these filters.')).toBeVisible();
});

test('actions sort by due date and open their session', async ({ page }) => {
  await signInToDashboard(page, COACHEE);
  await page.getByRole('link', { name: 'Actions', exact: true }).click();
  const bodies = page.getByTestId('my-action').locator('.item-text');
  await expect(bodies.first()).toBeVisible();
  const soonest = await bodies.allTextContents();
  await page.getByLabel('Due date').selectOption('desc');
  await expect(bodies.first()).toHaveText(soonest[soonest.length - 1]);
  await bodies.first().click();
  await expect(page).toHaveURL(/\/coaching-sessions\//);
});

test("a coach sees every coachee's actions with counts, and narrows them to one person", async ({ page }) => {
  await signInToDashboard(page, COACH);
  await page.getByRole('link', { name: 'Actions', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Actions', level: 1 })).toBeVisible();
  const sam = page.getByRole('region', { name: 'Sam Rivera' });
  const jordan = page.getByRole('region', { name: 'Jordan Lee' });
  // The demo: Sam has two open actions (none overdue), Jordan two open, one of them overdue.
  await expect(sam.getByTestId('person-counts')).toHaveText('2 open');
  await expect(sam.getByTestId('my-action').filter({ hasText: 'Draft the talk outline' })).toHaveCount(1);
  await expect(jordan.getByTestId('person-counts')).toHaveText('2 open · 1 overdue');
  await expect(jordan.getByTestId('my-action').filter({ hasText: 'Write down three feedback examples' })).toContainText('overdue');
  await expect(page.getByRole('region', { name: 'Assigned to me' })).toBeVisible();

  await page.getByLabel('Person').selectOption({ label: 'Jordan Lee' });
  await expect(sam).toHaveCount(0);
  await expect(jordan.getByTestId('my-action')).toHaveCount(2);
  await page.getByLabel('Status').selectOption('OnHold');
  await expect(jordan.getByTestId('my-action')).toHaveCount(1);
  await expect(jordan.getByTestId('person-counts')).toHaveText('1 open · 1 overdue');

  // Everyone again, any status, only what is overdue: Jordan's late action, nothing of Sam's.
  await page.getByLabel('Person').selectOption({ label: 'Everyone' });
  await page.getByLabel('Status').selectOption({ label: 'Any status' });
  await page.getByLabel('Due', { exact: true }).selectOption({ label: 'Overdue' });
  await expect(jordan.getByTestId('my-action')).toHaveCount(1);
  await expect(jordan.getByTestId('my-action')).toContainText('Write down three feedback examples');
  await expect(sam.getByTestId('my-action')).toHaveCount(0);
  await expect(sam).toContainText('No actions match these filters.');
});
