import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

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

/** The address of a coaching session's page. */
export const SESSION_URL = /\/coaching-sessions\/[0-9a-f-]{36}\/?(\?.*)?$/;

/**
 * Follows `link` from a page of the main app (the dashboard, the actions) to a session's
 * page. The session page is an app of its own, so this is a full page load: waits until that
 * page has loaded, and returns its path.
 */
export async function followToSession(page: Page, link: Locator): Promise<string> {
  await link.click();
  await page.waitForURL(SESSION_URL);
  return new URL(page.url()).pathname;
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

/**
 * The coach and a coachee (Sam unless said), each in a browser of their own, on the session
 * titled `title`, both streams open. `base` points both at a server of the test's own.
 */
export async function bothOnSession(
  browser: Browser,
  title: string,
  options: { person?: { email: string; name: string }; base?: string } = {},
): Promise<{ coach: Page; coachee: Page; coacheeContext: BrowserContext }> {
  const person = options.person ?? COACHEE;
  const contextOptions = options.base ? { baseURL: options.base } : {};
  const coach = await (await browser.newContext(contextOptions)).newPage();
  const coacheeContext = await browser.newContext(contextOptions);
  const coachee = await coacheeContext.newPage();
  await signInToDashboard(coach, COACH);
  await chooseRelationship(coach, `Coaching ${person.name}`);
  await followToSession(coach, coach.getByRole('link', { name: new RegExp(title) }));
  await expect(coach.getByTestId('session-title')).toHaveText(title);
  await signInToDashboard(coachee, person);
  await coachee.goto(coach.url());
  await expect(coachee.getByTestId('session-title')).toHaveText(title);
  // Both streams are open before anyone changes anything.
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  return { coach, coachee, coacheeContext };
}

/** A gate a test opens when it chooses: routes `await gate.opened` to hold a request back. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * The dashboard lists a window of dates at first: clicks "Show later" until `row` is listed
 * (a session scheduled months ahead).
 */
export async function showLaterUntil(page: Page, row: Locator) {
  for (let i = 0; i < 12 && (await row.count()) === 0; i++) {
    const later = page.getByRole('button', { name: 'Show later' });
    await expect(later).toBeEnabled();
    await later.click();
    await expect(later).toBeEnabled();
  }
  await expect(row.first()).toBeVisible();
}
