import { test, expect } from '@playwright/test';
import { API_HEADERS, COACH, COACHEE, signIn, signInToDashboard, signOut } from '../fixtures';

test('the demo coach signs in and sees their name and coachees', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await expect(page.getByTestId('person-name')).toHaveText(COACH.name);
  const picker = page.getByTestId('relationship-picker');
  await expect(picker.locator('option')).toHaveText(['Coaching Jordan Lee', 'Coaching Sam Rivera']);
});

test('a wrong password says so and stays on the login page', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, COACH.email, 'not-the-password');
  await expect(page.getByTestId('login-error')).toHaveText("That email and password don't match. Please try again.");
  await expect(page).toHaveURL(/\/login$/);
});

test('signing out returns to the login page and the session is gone', async ({ page }) => {
  const id = await signInToDashboard(page, COACH);
  expect((await page.request.get(`/api/users/${id}`, { headers: API_HEADERS })).status()).toBe(200);
  const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/delete'));
  await signOut(page);
  expect((await loggedOut).status()).toBe(200);
  await expect(page).toHaveURL(/\/login\?reason=signed_out$/);
  await expect(page.getByTestId('login-reason')).toHaveText('You have signed out.');
  // The server forgot the session too, not only this browser.
  expect((await page.request.get(`/api/users/${id}`, { headers: API_HEADERS })).status()).toBe(401);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login/);
});

test('a session that ended on the server sends the person to login with the reason', async ({ page, context }) => {
  await signInToDashboard(page, COACH);
  await context.clearCookies();
  await page.reload();
  await expect(page).toHaveURL(/\/login\?reason=session_expired&next=%2Fdashboard$/);
  await expect(page.getByTestId('login-reason')).toHaveText('Your session has ended. Please sign in again.');
  await signIn(page, COACH.email);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('signing out in one tab signs out the other tabs', async ({ context }) => {
  const first = await context.newPage();
  await signInToDashboard(first, COACH);
  const second = await context.newPage();
  await second.goto('/dashboard');
  await expect(second.getByTestId('welcome')).toHaveText(`Welcome, ${COACH.name}`);
  await signOut(first);
  // The other tab follows through the shared storage or through the server's
  // force_logout, whichever comes first.
  await expect(second).toHaveURL(/\/login\?reason=(signed_out|forced_logout&message=You\+signed\+out\+in\+another\+tab\.)$/);
  await expect(first).toHaveURL(/\/login\?reason=signed_out$/);
});

test('a deep link when signed out goes to login and back after signing in', async ({ page }) => {
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await signIn(page, COACH.email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${COACH.name}`);
});

test('coach and coachee sign in side by side, each seeing their own relationship', async ({ browser }) => {
  const coach = await (await browser.newContext()).newPage();
  const coachee = await (await browser.newContext()).newPage();
  await signInToDashboard(coach, COACH);
  await signInToDashboard(coachee, COACHEE);
  await expect(coachee.getByTestId('relationship-title')).toHaveText('Coached by Alex Morgan');
  await expect(coach.getByTestId('relationship-picker').locator('option')).toHaveCount(2);
});

test('an unknown address shows the not-found page', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('a server that cannot be reached is reported as such', async ({ page }) => {
  await page.goto('/login');
  await page.route('**/api/login', (route) => route.abort('connectionrefused'));
  await signIn(page, COACH.email);
  await expect(page.getByTestId('login-error')).toContainText("Can't reach the Tandem server");
});
