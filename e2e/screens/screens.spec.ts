import { test, expect, type Browser, type Page } from '@playwright/test';
import { COACH, COACHEE, chooseRelationship, signInToDashboard } from '../fixtures';

/** Where the screenshots go: docs/screens/ of the repository. */
const OUT = '../docs/screens';

const sizes = {
  desktop: { width: 1280, height: 860 },
  phone: { width: 360, height: 760 },
} as const;

async function shoot(page: Page, name: string) {
  // Let fonts and the last render settle on a quiet page: the event stream stays open, so
  // wait for the page's own ready signals instead of network idleness.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true, animations: 'disabled' });
}

async function tour(browser: Browser, person: typeof COACH, who: string, size: keyof typeof sizes) {
  const context = await browser.newContext({ viewport: sizes[size], deviceScaleFactor: 1, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await shoot(page, `login-${size}`);
  await signInToDashboard(page, person);
  if (person === COACH) {
    // On a phone the pickers are behind the Menu button.
    const menu = page.getByRole('button', { name: 'Menu' });
    if (size === 'phone') await menu.click();
    await chooseRelationship(page, 'Coaching Sam Rivera');
    if (size === 'phone') await menu.click();
  }
  await expect(page.getByTestId('previous-sessions')).toContainText('Handling questions');
  await shoot(page, `dashboard-${who}-${size}`);
  await page.getByRole('link', { name: /Handling questions/ }).click();
  await expect(page.getByTestId('notes-state')).toBeVisible();
  await expect(page.getByTestId('presence')).toBeVisible();
  await shoot(page, `session-${who}-${size}`);
  await page.goto('/actions');
  await expect(page.getByTestId('my-actions').first()).toBeVisible();
  await shoot(page, `actions-${who}-${size}`);
  await context.close();
}

for (const size of ['desktop', 'phone'] as const) {
  test(`every page of the coach, ${size}`, async ({ browser }) => tour(browser, COACH, 'coach', size));
  test(`every page of the coachee, ${size}`, async ({ browser }) => tour(browser, COACHEE, 'coachee', size));
}

test('the session page in the dark theme, desktop', async ({ browser }) => {
  const context = await browser.newContext({ viewport: sizes.desktop, colorScheme: 'dark' });
  const page = await context.newPage();
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await page.getByRole('link', { name: /Handling questions/ }).click();
  await expect(page.getByTestId('notes-state')).toBeVisible();
  await shoot(page, 'session-coach-desktop-dark');
  await context.close();
});
