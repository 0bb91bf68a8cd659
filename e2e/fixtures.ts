import { expect, type Page } from '@playwright/test';

/** The demo people the server seeds into its fresh database (see server/src/demo.rs). */
export const DEMO_PASSWORD = 'e2e-demo-password';
export const COACH = { email: 'coach@tandem.demo', name: 'Alex Morgan' };
export const COACHEE = { email: 'sam@tandem.demo', name: 'Sam Rivera' };

/** Fills the login form and submits it. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Goes to the login page, signs in, waits for the dashboard and returns the person's id. */
export async function signInToDashboard(page: Page, person: { email: string; name: string }): Promise<string> {
  await page.goto('/login');
  const login = page.waitForResponse((r) => r.url().endsWith('/api/login') && r.status() === 200);
  await signIn(page, person.email);
  const id: string = (await (await login).json()).data.id;
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${person.name}`);
  return id;
}

/** Opens the person menu and signs out. */
export async function signOut(page: Page) {
  await page.locator('.person-button').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
}

/** Chooses a relationship in the header picker, by its label ("Coaching Sam Rivera"). */
export async function chooseRelationship(page: Page, label: string) {
  await page.getByTestId('relationship-picker').selectOption({ label });
}

export const JORDAN = { email: 'jordan@tandem.demo', name: 'Jordan Lee' };

/** Headers of a JSON API call made from a test. */
export const API_HEADERS = { 'X-Version': '1.0.0-beta1' };
