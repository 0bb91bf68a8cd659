import { test, expect, type Page } from '@playwright/test';
import { COACH, DEMO_PASSWORD } from '../fixtures';

type Focused = { tag: string; text: string; label: string; ring: boolean };

/** What has the keyboard focus: its tag, text, label, and whether a focus ring shows. */
async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return null;
    const labels = (element as HTMLInputElement).labels;
    const label = labels && labels.length ? labels[0].textContent ?? '' : element.getAttribute('aria-label') ?? '';
    const style = getComputedStyle(element);
    const ring = style.boxShadow !== 'none' || (style.outlineStyle !== 'none' && style.outlineWidth !== '0px');
    return { tag: element.tagName, text: (element.textContent ?? '').trim(), label: label.trim(), ring };
  });
}

/** Presses Tab until the focused element is the one wanted; fails if it never comes. */
async function tabTo(page: Page, wanted: (f: Focused) => boolean, what: string): Promise<Focused> {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now && wanted(now)) {
      expect(now.ring, `${what} shows where the focus is`).toBe(true);
      return now;
    }
  }
  throw new Error(`Tab never reached ${what}`);
}

test('a coach signs in, opens a session, adds an action and signs out with the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  await tabTo(page, (f) => f.label === 'Email', 'the email field');
  await page.keyboard.type(COACH.email);
  await tabTo(page, (f) => f.label === 'Password', 'the password field');
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('welcome')).toBeVisible();

  await tabTo(page, (f) => f.tag === 'A' && f.text.includes('Feedback that lands'), 'a session of the dashboard');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('session-title')).toHaveText('Feedback that lands');

  await tabTo(page, (f) => f.tag === 'SUMMARY' && f.text === 'Add an action', 'Add an action');
  await page.keyboard.press('Enter');
  await tabTo(page, (f) => f.label === 'What will be done', 'the action field');
  await page.keyboard.type('Send the feedback notes, by keyboard');
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Add action', 'the Add action button');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('actions').getByText('Send the feedback notes, by keyboard')).toBeVisible();

  await page.keyboard.press('Shift+Tab');
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.text.startsWith(COACH.name), 'the person menu');
  await page.keyboard.press('Enter');
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Sign out', 'Sign out');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/login\?reason=signed_out$/);
});
