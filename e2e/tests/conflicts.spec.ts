import { test, expect, type Page } from '@playwright/test';
import { COACHEE, bothOnSession } from '../fixtures';

/** The edit form of an action row (one is open at a time). */
const openForm = (page: Page) => page.locator('li[data-testid=action] form.action-form');

async function editAction(page: Page, action: string, body: string) {
  await page.getByTestId('action').filter({ hasText: action }).getByRole('button', { name: /^Edit action/ }).click();
  await openForm(page).getByLabel('What will be done').fill(body);
}

test('a save over the other person’s newer change is refused, says who, and offers keep mine or take theirs', async ({
  browser,
}) => {
  const { coach, coachee } = await bothOnSession(browser, 'Handling questions');
  await editAction(coach, 'Draft the talk outline', 'Draft the outline, coach’s words');
  await editAction(coachee, 'Draft the talk outline', 'Draft the outline, Sam’s words');
  await coachee.getByRole('button', { name: 'Save action' }).click();
  await expect(coachee.getByTestId('action').filter({ hasText: 'Sam’s words' })).toHaveCount(1);
  // The coach's open form says so at once; the coach saves anyway, on the version opened.
  await expect(coach.getByTestId('stale-choice')).toContainText('just changed this while you are editing it');

  await coach.getByRole('button', { name: 'Save action' }).click();
  const choice = coach.getByTestId('stale-choice');
  await expect(choice).toContainText(`Not saved: ${COACHEE.name} changed this after you started editing.`);
  await expect(choice).toContainText('Draft the outline, Sam’s words');
  // Nothing of the coach's was written.
  await expect(coachee.getByTestId('action').filter({ hasText: 'coach’s words' })).toHaveCount(0);
  await choice.getByRole('button', { name: 'Keep mine' }).click();
  await expect(coach.getByTestId('stale-choice')).toHaveCount(0);
  await expect(coach.getByTestId('action').filter({ hasText: 'coach’s words' })).toHaveCount(1);
  // The coachee's page receives it live; its own words are gone by the coach's choice.
  await expect(coachee.getByTestId('action').filter({ hasText: 'coach’s words' })).toHaveCount(1);

  // Take theirs: the form closes on their version.
  await editAction(coach, 'coach’s words', 'A third wording that will not be kept');
  await editAction(coachee, 'coach’s words', 'Sam again');
  await coachee.getByRole('button', { name: 'Save action' }).click();
  await expect(coach.getByTestId('stale-choice')).toContainText('Sam again');
  await coach.getByRole('button', { name: 'Save action' }).click();
  await expect(coach.getByTestId('stale-choice')).toContainText('Not saved');
  await coach.getByTestId('stale-choice').getByRole('button', { name: 'Take theirs' }).click();
  await expect(coach.getByTestId('action').filter({ hasText: 'Sam again' })).toHaveCount(1);
  await expect(openForm(coach)).toHaveCount(0);
  await expect(coachee.getByTestId('action').filter({ hasText: 'third wording' })).toHaveCount(0);
});

test('an edit form open on an agreement the other person changes says so at once', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Handling questions');
  const row = coach.getByTestId('agreement').filter({ hasText: 'short check-in' });
  await row.getByRole('button', { name: /^Edit agreement/ }).click();
  await coach.getByLabel('Agreement', { exact: true }).fill('We start with a long check-in.');
  const theirs = coachee.getByTestId('agreement').filter({ hasText: 'short check-in' });
  await theirs.getByRole('button', { name: /^Edit agreement/ }).click();
  await coachee.getByLabel('Agreement', { exact: true }).fill('We start each session with a two-minute check-in.');
  await coachee.getByRole('button', { name: 'Save', exact: true }).click();
  // No save was tried: the coach's open form says so live.
  const choice = coach.getByTestId('stale-choice');
  await expect(choice).toContainText('just changed this while you are editing it');
  await expect(choice).toContainText('two-minute check-in');
  await choice.getByRole('button', { name: 'Keep editing mine' }).click();
  await expect(choice).toHaveCount(0);
  await coach.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(coachee.getByTestId('agreement').filter({ hasText: 'long check-in' })).toHaveCount(1);
});
