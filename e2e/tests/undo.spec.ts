import { test, expect } from '@playwright/test';
import { API_HEADERS, bothOnSession } from '../fixtures';

test('an agreement deleted by mistake comes back with Undo, on both screens', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  await coach.getByLabel('New agreement').fill('Meet every Tuesday');
  await coach.getByRole('button', { name: 'Add agreement' }).click();
  const theirs = coachee.getByTestId('agreement').filter({ hasText: 'Meet every Tuesday' });
  await expect(theirs).toHaveCount(1);
  const id = await (async () => {
    const session = coach.url().split('/').pop();
    const list = await (await coach.request.get(`/api/agreements?coaching_session_id=${session}`, { headers: API_HEADERS })).json();
    return list.data.find((a: { body: string }) => a.body === 'Meet every Tuesday').id;
  })();

  const mine = coach.getByTestId('agreement').filter({ hasText: 'Meet every Tuesday' });
  await mine.getByRole('button', { name: 'Delete' }).click();
  await mine.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(theirs).toHaveCount(0);
  const toast = coach.getByTestId('undo-toast');
  await expect(toast).toHaveAttribute('role', 'status');
  await expect(toast).toContainText('Agreement deleted.');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(theirs).toHaveCount(1);
  await expect(mine).toHaveCount(1);
  await expect(toast).toHaveCount(0);
  // The same agreement, not a copy.
  const session = coach.url().split('/').pop();
  const list = await (await coach.request.get(`/api/agreements?coaching_session_id=${session}`, { headers: API_HEADERS })).json();
  expect(list.data.filter((a: { body: string }) => a.body === 'Meet every Tuesday').map((a: { id: string }) => a.id)).toEqual([id]);
});

test('the undo offer goes after 8 seconds', async ({ browser }) => {
  const { coach } = await bothOnSession(browser, 'Getting started');
  await coach.getByLabel('New agreement').fill('Short-lived');
  await coach.getByRole('button', { name: 'Add agreement' }).click();
  const mine = coach.getByTestId('agreement').filter({ hasText: 'Short-lived' });
  await mine.getByRole('button', { name: 'Delete' }).click();
  await mine.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(coach.getByTestId('undo-toast')).toBeVisible();
  await expect(coach.getByTestId('undo-toast')).toHaveCount(0, { timeout: 10_000 });
});

test('an action deleted by mistake comes back with Undo, with its assignee, on both screens', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  await coachee.getByText('Add an action').click();
  const form = coachee.locator('details.add-details form');
  await form.getByLabel('What will be done').fill('Undoable action');
  await form.getByRole('button', { name: 'Add action' }).click();
  const mine = coach.getByTestId('action').filter({ hasText: 'Undoable action' });
  const theirs = coachee.getByTestId('action').filter({ hasText: 'Undoable action' });
  await expect(mine).toHaveCount(1);
  const session = coach.url().split('/').pop();
  const before = (await (await coach.request.get(`/api/actions?coaching_session_id=${session}`, { headers: API_HEADERS })).json())
    .data.find((a: { body: string }) => a.body === 'Undoable action');

  await mine.getByRole('button', { name: 'Delete' }).click();
  await mine.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(theirs).toHaveCount(0);
  await coach.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
  await expect(theirs).toHaveCount(1);
  await expect(mine).toHaveCount(1);
  const after = (await (await coach.request.get(`/api/actions?coaching_session_id=${session}`, { headers: API_HEADERS })).json())
    .data.find((a: { body: string }) => a.body === 'Undoable action');
  expect([after.id, after.assignee_ids]).toEqual([before.id, before.assignee_ids]);
});

test('a goal deleted or unlinked by mistake comes back with Undo, on both screens', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  await coach.getByLabel('New goal').fill('Undoable goal');
  await coach.getByRole('button', { name: 'Add goal' }).click();
  const mine = coach.getByTestId('goal').filter({ hasText: 'Undoable goal' });
  const theirs = coachee.getByTestId('goal').filter({ hasText: 'Undoable goal' });
  await expect(theirs).toHaveCount(1);
  await mine.getByRole('button', { name: 'Link to session' }).click();
  await expect(theirs.getByTestId('linked-badge')).toBeVisible();

  await mine.getByRole('button', { name: 'Unlink from session' }).click();
  await expect(theirs.getByTestId('linked-badge')).toHaveCount(0);
  await expect(coach.getByTestId('undo-toast')).toContainText('Goal unlinked.');
  await coach.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
  await expect(theirs.getByTestId('linked-badge')).toBeVisible();
  await expect(mine.getByTestId('linked-badge')).toBeVisible();

  await mine.getByRole('button', { name: 'Delete' }).click();
  await mine.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(theirs).toHaveCount(0);
  await expect(coach.getByTestId('undo-toast')).toContainText('Goal deleted.');
  await coach.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
  // The same goal, with its link to the session.
  await expect(theirs.getByTestId('linked-badge')).toBeVisible();
  await expect(mine.getByTestId('linked-badge')).toBeVisible();
});

test('a topic deleted by the coachee comes back with Undo on both screens', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  const current = coach.url().split('/').pop();
  const relationship = (await (await coach.request.get(`/api/coaching_sessions/${current}`, { headers: API_HEADERS })).json())
    .data.coaching_relationship_id;
  const day = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  const made = await coach.request.post('/api/coaching_sessions', {
    headers: API_HEADERS,
    data: { coaching_relationship_id: relationship, date: `${day}T10:00:00`, duration_minutes: 45, title: 'Undo topics' },
  });
  const id = (await made.json()).data.id;
  await coach.goto(`/coaching-sessions/${id}`);
  await coachee.goto(`/coaching-sessions/${id}`);
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  await coachee.getByLabel('New topic').fill('Mine to delete');
  await coachee.getByRole('button', { name: 'Add topic' }).click();
  await expect(coach.getByTestId('topic')).toHaveCount(1);
  await coachee.getByRole('button', { name: 'Delete topic: Mine to delete' }).click();
  await expect(coach.getByTestId('topic')).toHaveCount(0);
  await coachee.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
  for (const page of [coach, coachee]) await expect(page.getByTestId('topic')).toHaveText(/Mine to delete/);
});
