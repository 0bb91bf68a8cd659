import { test, expect } from '@playwright/test';
import { seriousViolations } from '../axe';
import { COACH, COACHEE, signInToDashboard } from '../fixtures';

test('the board: a card dragged and moved by keyboard, both people live, filters kept in the address', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  const coach = await (await browser.newContext()).newPage();
  await signInToDashboard(page, COACHEE);
  await page.getByRole('link', { name: 'Actions', exact: true }).click();
  await page.getByLabel('Board', { exact: true }).check();
  await expect(page).toHaveURL(/\/actions\?view=board$/);
  const column = (status: string) => page.locator(`[data-testid="board-column"][data-status="${status}"]`);
  const card = (text: string) => page.getByTestId('board-card').filter({ hasText: text });
  await expect(column('NotStarted').getByTestId('board-card').filter({ hasText: 'Rehearse with two colleagues' })).toHaveCount(1);
  await expect(page.getByTestId('board-column')).toHaveCount(5);
  await expect(page.getByTestId('board-column').locator('h3')).toHaveText([
    /Not started/, /In progress/, /On hold/, /Completed/, /Won't do/,
  ]);

  // The coach watches Sam's board.
  await signInToDashboard(coach, COACH);
  await coach.goto('/actions?view=board');
  const samBoard = coach.getByRole('region', { name: 'Sam Rivera' });
  const coachColumn = (status: string) => samBoard.locator(`[data-testid="board-column"][data-status="${status}"]`);
  await expect(coachColumn('NotStarted')).toContainText('Rehearse with two colleagues');
  for (const p of [page, coach]) {
    await expect(p.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }

  // Dragged from Not started to In progress.
  await card('Rehearse with two colleagues').dragTo(column('InProgress'));
  await expect(column('InProgress').getByTestId('board-card').filter({ hasText: 'Rehearse with two colleagues' })).toHaveCount(1);
  await expect(page.getByTestId('board-announcement')).toHaveText('Moved “Rehearse with two colleagues” to In progress.');
  await expect(coachColumn('InProgress')).toContainText('Rehearse with two colleagues');
  await expect(coachColumn('NotStarted')).not.toContainText('Rehearse with two colleagues');

  // Moved from the keyboard, with the card's status select.
  const select = page.getByLabel('Status of “Rehearse with two colleagues”');
  await select.focus();
  await select.selectOption({ label: 'On hold' });
  await expect(column('OnHold').getByTestId('board-card').filter({ hasText: 'Rehearse with two colleagues' })).toHaveCount(1);
  await expect(page.getByTestId('board-announcement')).toHaveText('Moved “Rehearse with two colleagues” to On hold.');
  await expect(coachColumn('OnHold')).toContainText('Rehearse with two colleagues');

  // Filters go into the address and survive a reload.
  await page.getByLabel('Status', { exact: true }).selectOption('OnHold');
  await page.getByLabel('Due', { exact: true }).selectOption({ label: 'Any due date' });
  await expect(page).toHaveURL(/view=board&status=OnHold$/);
  await expect(page.getByTestId('board-column')).toHaveCount(1);
  await page.reload();
  await expect(page.getByLabel('Board', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('OnHold');
  await expect(page.getByTestId('board-column')).toHaveCount(1);
  await expect(column('OnHold')).toContainText('Rehearse with two colleagues');
  // The list keeps the filter.
  await page.getByLabel('List', { exact: true }).check();
  await expect(page).toHaveURL(/\/actions\?status=OnHold$/);
  await expect(page.getByTestId('my-action')).toHaveCount(1);
});

test('a link names the filters of the coach’s board; no serious accessibility violation; no sideways scroll on a phone', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await page.goto('/actions?view=board&status=InProgress');
  await expect(page.getByRole('region', { name: 'Sam Rivera' }).getByTestId('board-card')).toContainText(['Draft the talk outline']);
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('InProgress');
  await page.goto('/actions?view=board');
  await expect(page.getByTestId('board-card').first()).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page)).toEqual([]);
  }
  await page.setViewportSize({ width: 360, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
});
