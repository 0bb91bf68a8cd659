import { test, expect } from '@playwright/test';
import { seriousViolations } from '../axe';
import { COACH, COACHEE, chooseRelationship, signInToDashboard } from '../fixtures';

for (const scheme of ['light', 'dark'] as const) {
  for (const person of [COACH, COACHEE]) {
    test(`every page has no serious accessibility violation: ${person.name}, ${scheme} theme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const found: Record<string, string[]> = {};
      const check = async (name: string) => {
        const violations = await seriousViolations(page);
        if (violations.length) found[name] = violations;
      };
      await page.goto('/login');
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      await check('login');
      await signInToDashboard(page, person);
      if (person === COACH) await chooseRelationship(page, 'Coaching Sam Rivera');
      await expect(page.getByRole('link', { name: /Handling questions/ })).toBeVisible();
      await check('dashboard');
      await page.getByRole('link', { name: /Handling questions/ }).click();
      await expect(page.getByTestId('notes-state')).toBeVisible();
      await page.getByText('Add an action').click();
      await check('session');
      await page.getByRole('link', { name: 'Actions', exact: true }).click();
      await expect(page.getByTestId('my-actions').first()).toBeVisible();
      await check('actions');
      await page.locator('.person-button').click();
      await check('person menu');
      await page.goto('/no-such-page');
      await check('not found');
      expect(found).toEqual({});
    });
  }
}

test('the theme can be chosen, and the choice is kept', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await signInToDashboard(page, COACHEE);
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await background();
  await page.locator('.person-button').click();
  await page.getByTestId('theme-picker').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).not.toBe(light);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.locator('.person-button').click();
  await page.getByTestId('theme-picker').selectOption('system');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(await background()).toBe(light);
});
