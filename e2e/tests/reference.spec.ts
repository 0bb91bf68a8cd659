import { test, expect, type Page } from '@playwright/test';
import { COACH, chooseRelationship, followToSession, signInToDashboard, signOut } from '../fixtures';

// Against the reference backend, which lacks Tandem's extensions: its presence route answers
// 405 and its notes-document route 404. The page asks each once, then leaves it alone, and
// nothing escapes to the console in a whole walk, signing out offline included.

/**
 * The errors the page's console shows, but the browser's own line for each failed request
 * (the requests themselves are counted), and what is thrown and not caught.
 */
function watchConsole(page: Page): string[] {
  const said: string[] = [];
  page.on('console', (message) => {
    const fromNetwork = message.text().startsWith('Failed to load resource');
    if (message.type() === 'error' && !fromNetwork) said.push(message.text());
  });
  page.on('pageerror', (error) => said.push(`uncaught: ${error.message}`));
  return said;
}

test('a server without presence and live notes is asked once per page, and nothing reaches the console', async ({ page }) => {
  const asked = { presence: 0, document: 0 };
  await page.route('**/api/coaching_sessions/*/presence**', (route) => {
    asked.presence += 1;
    return route.fulfill({ status: 405, contentType: 'text/plain', body: 'Method Not Allowed' });
  });
  await page.route('**/api/coaching_sessions/*/notes/document**', (route) => {
    asked.document += 1;
    return route.fulfill({ status: 404, contentType: 'text/plain', body: 'NOT FOUND' });
  });
  const said = watchConsole(page);
  // The page's timers run on a clock the test moves: minutes pass without waiting them out.
  await page.clock.install();
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await followToSession(page, page.getByRole('link', { name: /Presence on stage/ }));
  // Notes are saved whole, as the reference keeps them.
  const notes = page.getByLabel('Session notes');
  await notes.fill('Stage presence: breathe before the first slide.');
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  // Presence is not shown, and is not asked for again in three minutes of heartbeats.
  await expect(page.getByTestId('presence')).toHaveCount(0);
  const atOpen = { ...asked };
  expect(atOpen.document).toBe(1);
  // The heartbeat and the list start together: both may leave before the first answer.
  expect(atOpen.presence).toBeGreaterThanOrEqual(1);
  expect(atOpen.presence).toBeLessThanOrEqual(2);
  await page.clock.runFor(180_000);
  await notes.fill('Stage presence: breathe, then smile.');
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  expect(asked).toEqual(atOpen);

  // Signing out while the server cannot be reached still signs this browser out, quietly.
  await page.context().setOffline(true);
  await signOut(page);
  // The sign-in page belongs to another app: it opens once the connection is back.
  await expect(page.getByTestId('offline-wait')).toBeVisible();
  await page.clock.runFor(30_000);
  await page.context().setOffline(false);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(said).toEqual([]);
});
