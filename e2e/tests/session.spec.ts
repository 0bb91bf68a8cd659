import { test, expect, type Page } from '@playwright/test';
import { COACH, COACHEE, JORDAN, chooseRelationship, signInToDashboard } from '../fixtures';

/** Opens one of the demo's past sessions with Sam from the coach's dashboard. */
async function openSession(page: Page, title: string) {
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByTestId('session-title')).toHaveText(title);
}

test('the title is edited in place by either person', async ({ page, browser }) => {
  await signInToDashboard(page, COACH);
  await openSession(page, 'Presence on stage');
  await page.getByRole('button', { name: 'Edit title' }).click();
  await page.getByLabel('Session title').fill('Presence and voice');
  await page.getByRole('button', { name: 'Save title' }).click();
  await expect(page.getByTestId('session-title')).toHaveText('Presence and voice');
  await page.reload();
  await expect(page.getByTestId('session-title')).toHaveText('Presence and voice');

  const coachee = await (await browser.newContext()).newPage();
  await signInToDashboard(coachee, COACHEE);
  await coachee.goto(page.url());
  await coachee.getByRole('button', { name: 'Edit title' }).click();
  await coachee.getByLabel('Session title').fill('Presence, voice and pace');
  await coachee.getByLabel('Session title').press('Enter');
  await expect(coachee.getByTestId('session-title')).toHaveText('Presence, voice and pace');
  await page.reload();
  await expect(page.getByTestId('session-title')).toHaveText('Presence, voice and pace');
});

test('agreements are added, edited and deleted', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await openSession(page, 'Getting started');
  const agreements = page.getByTestId('agreement');
  await page.getByLabel('New agreement').fill('We meet every other Tuesday.');
  await page.getByRole('button', { name: 'Add agreement' }).click();
  const agreement = agreements.filter({ hasText: 'We meet every other Tuesday.' });
  await expect(agreement).toHaveCount(1);
  await page.reload();
  await agreement.getByRole('button', { name: /^Edit agreement/ }).click();
  // While editing, the text is in the field, so find the form by its label.
  await page.getByLabel('Agreement', { exact: true }).fill('We meet every Tuesday.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const edited = agreements.filter({ hasText: 'We meet every Tuesday.' });
  await expect(edited).toHaveCount(1);
  await page.reload();
  await expect(edited).toHaveCount(1);
  await edited.getByRole('button', { name: 'Delete' }).click();
  await edited.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(edited).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Agreements' })).toBeVisible();
  await expect(edited).toHaveCount(0);
});

test('actions are added with every field, marked done in one click, edited and deleted', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await openSession(page, 'Getting started');
  await page.getByText('Add an action').click();
  const form = page.locator('details.add-details form');
  await form.getByLabel('What will be done').fill('Book the meetup room');
  await form.getByLabel('Due date').fill('2031-01-15');
  await form.getByLabel('Status').selectOption({ label: 'In progress' });
  await form.getByLabel('Goal (optional)').selectOption({ label: 'Speak at the spring meetup' });
  await form.getByLabel('Sam Rivera').check();
  await form.getByRole('button', { name: 'Add action' }).click();
  const action = page.getByTestId('action').filter({ hasText: 'Book the meetup room' });
  await expect(action).toContainText('In progress');
  await expect(action).toContainText('Due Wed 15 Jan 2031');
  await expect(action).toContainText('For Alex Morgan and Sam Rivera');
  await expect(action).toContainText('Goal: Speak at the spring meetup');
  await page.reload();
  await expect(action).toContainText('Due Wed 15 Jan 2031');

  await action.getByRole('checkbox').click();
  await expect(action).toContainText('Completed');
  await page.reload();
  await expect(action).toContainText('Completed');

  await action.getByRole('button', { name: /^Edit action/ }).click();
  const editor = page.getByTestId('action').filter({ has: page.getByRole('button', { name: 'Save action' }) });
  await editor.getByLabel('What will be done').fill('Book the big meetup room');
  await editor.getByLabel('Alex Morgan').uncheck();
  await editor.getByRole('button', { name: 'Save action' }).click();
  const edited = page.getByTestId('action').filter({ hasText: 'Book the big meetup room' });
  await expect(edited).toContainText('For Sam Rivera');
  await page.reload();
  await expect(edited).toContainText('For Sam Rivera');

  await edited.getByRole('button', { name: 'Delete' }).click();
  await edited.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(edited).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Actions' })).toBeVisible();
  await expect(edited).toHaveCount(0);
});

test('goals are created, edited, linked, unlinked, re-statused and deleted', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await openSession(page, 'Getting started');
  await page.getByLabel('New goal').fill('Write a blog post');
  await page.getByRole('button', { name: 'Add goal' }).click();
  const goal = page.getByTestId('goal').filter({ hasText: 'Write a blog post' });
  await expect(goal).toHaveCount(1);

  await goal.getByRole('button', { name: 'Link to session' }).click();
  await expect(goal.getByTestId('linked-badge')).toBeVisible();
  // Linking a goal that had not started puts it in progress.
  await expect(goal.getByLabel(/^Status of/)).toHaveValue('InProgress');
  await page.reload();
  await expect(goal.getByTestId('linked-badge')).toBeVisible();

  await goal.getByRole('button', { name: 'Unlink from session' }).click();
  await expect(goal.getByTestId('linked-badge')).toHaveCount(0);
  await goal.getByLabel(/^Status of/).selectOption('OnHold');
  await expect(goal.getByLabel(/^Status of/)).toHaveValue('OnHold');
  await page.reload();
  await expect(goal.getByLabel(/^Status of/)).toHaveValue('OnHold');
  await expect(goal.getByTestId('linked-badge')).toHaveCount(0);

  await goal.getByRole('button', { name: /^Edit goal/ }).click();
  const editor = page.getByTestId('goal').filter({ has: page.getByRole('button', { name: 'Save goal' }) });
  await editor.getByLabel('Goal', { exact: true }).fill('Write two blog posts');
  await editor.getByLabel('Target date').fill('2031-03-31');
  await editor.getByRole('button', { name: 'Save goal' }).click();
  const edited = page.getByTestId('goal').filter({ hasText: 'Write two blog posts' });
  await expect(edited).toContainText('Target Mon 31 Mar 2031');
  await page.reload();
  await expect(edited).toContainText('Target Mon 31 Mar 2031');

  await edited.getByRole('button', { name: 'Delete' }).click();
  await edited.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(edited).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Goals' })).toBeVisible();
  await expect(edited).toHaveCount(0);
});

test('a fourth goal in progress is refused, with the offer to put one of the three on hold', async ({ page }) => {
  await signInToDashboard(page, JORDAN);
  await page.getByRole('link', { name: /Growing others/ }).click();
  // Jordan's relationship has one goal in progress; two more fill the three places.
  const goals = page.getByRole('region', { name: 'Goals' });
  for (const title of ['Mentor a new hire', 'Run a feedback workshop']) {
    await goals.getByLabel('New goal').fill(title);
    await goals.getByLabel('Status', { exact: true }).selectOption('InProgress');
    await goals.getByRole('button', { name: 'Add goal' }).click();
    await expect(page.getByTestId('goal').filter({ hasText: title })).toHaveCount(1);
  }
  await goals.getByLabel('New goal').fill('One goal too many');
  await goals.getByLabel('Status', { exact: true }).selectOption('InProgress');
  await goals.getByRole('button', { name: 'Add goal' }).click();
  const swap = goals.getByTestId('goal-swap');
  await expect(swap).toContainText('Only 3 goals can be in progress at once');
  await expect(swap.getByRole('button')).toHaveText([
    /Put “.+” on hold/, /Put “.+” on hold/, /Put “.+” on hold/, 'Cancel',
  ]);
  // Cancel changes nothing.
  await swap.getByRole('button', { name: 'Cancel' }).click();
  await expect(swap).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Goals' })).toBeVisible();
  await expect(page.getByTestId('goal').filter({ hasText: 'One goal too many' })).toHaveCount(0);

  // Asked again, one of the three goes on hold and the new goal comes in progress.
  await goals.getByLabel('New goal').fill('One goal too many');
  await goals.getByLabel('Status', { exact: true }).selectOption('InProgress');
  await goals.getByRole('button', { name: 'Add goal' }).click();
  await swap.getByRole('button', { name: 'Put “Build a mentoring habit” on hold' }).click();
  const added = page.getByTestId('goal').filter({ hasText: 'One goal too many' });
  await expect(added.getByLabel(/^Status of/)).toHaveValue('InProgress');
  const held = page.getByTestId('goal').filter({ hasText: 'Build a mentoring habit' });
  await expect(held.getByLabel(/^Status of/)).toHaveValue('OnHold');
  await expect(swap).toHaveCount(0);

  // A goal's status set to in progress gets the same offer.
  await held.getByLabel(/^Status of/).selectOption('InProgress');
  await expect(held.getByTestId('goal-swap')).toContainText('to start “Build a mentoring habit”');
  await held.getByRole('button', { name: 'Put “Mentor a new hire” on hold' }).click();
  await expect(held.getByLabel(/^Status of/)).toHaveValue('InProgress');
  await expect(page.getByTestId('goal').filter({ hasText: 'Mentor a new hire' }).getByLabel(/^Status of/)).toHaveValue('OnHold');
  await page.reload();
  await expect(held.getByLabel(/^Status of/)).toHaveValue('InProgress');
  await expect(page.getByText('3/3 in progress')).toBeVisible();
});

test('notes are saved as they are typed, without leaving the field, and both people read them', async ({ browser }) => {
  const coach = await (await browser.newContext()).newPage();
  await signInToDashboard(coach, COACH);
  await openSession(coach, 'Handling questions');
  const notes = coach.getByLabel('Session notes');
  await expect(notes).toHaveText('Sam feels confident about content; nerves come from Q&A.');
  const sent = coach.waitForResponse((r) => r.url().endsWith('/notes/document') && r.request().method() === 'POST');
  await notes.fill('Sam will practise answering hard questions.');
  expect((await sent).ok()).toBeTruthy();
  await expect(notes).toBeFocused();
  await expect(coach.getByTestId('notes-state')).toHaveText('Saved');
  const url = coach.url();
  await coach.reload();
  await expect(notes).toHaveText('Sam will practise answering hard questions.');

  const coachee = await (await browser.newContext()).newPage();
  await signInToDashboard(coachee, COACHEE);
  await coachee.goto(url);
  await expect(coachee.getByLabel('Session notes')).toHaveText('Sam will practise answering hard questions.');
});
