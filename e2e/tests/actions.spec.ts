import { test, expect } from '@playwright/test';
import { COACHEE, JORDAN, signInToDashboard } from '../fixtures';

test('my actions lists what is assigned to me, filters by status, and marks overdue ones', async ({ page }) => {
  await signInToDashboard(page, JORDAN);
  await page.getByRole('link', { name: 'My actions' }).click();
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
  await page.getByRole('link', { name: 'My actions' }).click();
  const bodies = page.getByTestId('my-action').locator('.item-text');
  await expect(bodies.first()).toBeVisible();
  const soonest = await bodies.allTextContents();
  await page.getByLabel('Due date').selectOption('desc');
  await expect(bodies.first()).toHaveText(soonest[soonest.length - 1]);
  await bodies.first().click();
  await expect(page).toHaveURL(/\/coaching-sessions\//);
});
