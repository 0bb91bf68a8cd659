import { test, expect, type Page } from '@playwright/test';
import { COACH, chooseRelationship, signIn, signInToDashboard } from '../fixtures';

/** Records every Content-Security-Policy violation the page reports, from its first script on. */
async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { cspViolations: string[] }).cspViolations.push(
        `${event.violatedDirective}: ${event.blockedURI}`,
      );
    });
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test('the web app runs under its Content-Security-Policy on every page', async ({ page }) => {
  const violations = await watchCspViolations(page);
  const first = await page.goto('/login');
  const policy = first?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe-inline');
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await page.getByRole('link', { name: /Handling questions/ }).click();
  await expect(page.getByTestId('session-title')).toHaveText('Handling questions');
  await expect(page.getByRole('heading', { name: 'Agreements' })).toBeVisible();
  // The session page is an app of its own, loaded in full: its loader and the notes' engine
  // run under the same policy. (The record starts again with each page load.)
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  expect(await violations()).toEqual([]);
  await page.getByRole('link', { name: 'Actions', exact: true }).click();
  await expect(page).toHaveURL(/\/actions/);
  expect(await violations()).toEqual([]);
});

test('too many failed sign-ins say how long to wait', async ({ page }) => {
  await page.goto('/login');
  // An account allows ten failures in ten minutes; the eleventh uses the allowance up and
  // the next try is told to wait. (An account no other spec uses: the lock lasts minutes.)
  for (let n = 0; n < 11; n++) {
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/login'));
    await signIn(page, 'nobody@tandem.demo', `wrong-${n}`);
    expect((await answered).status()).toBe(401);
  }
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/login'));
  await signIn(page, 'nobody@tandem.demo', 'wrong-again');
  expect((await refused).status()).toBe(429);
  await expect(page.getByTestId('login-error')).toHaveText(/Too many failed sign-ins\. Please wait \d+ seconds/);
  await expect(page).toHaveURL(/\/login/);
});
