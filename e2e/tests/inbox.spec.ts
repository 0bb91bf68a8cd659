import { test, expect, type Page } from '@playwright/test';
import { seriousViolations } from '../axe';
import { COACH, COACHEE, chooseRelationship, signInToDashboard } from '../fixtures';
import { SmtpSink } from '../mailbox';
import { freePort, OwnServer } from '../server';

// The inbox [extension]: the header's bell counts what the other person did for you, live in
// every tab; opening it in one tab clears the count in all of them. And the notification
// settings: which mails to get, browser notifications, the private calendar feed.

/** The coach on the session titled `title`; returns the session's path. */
async function coachOnSession(page: Page, title: string): Promise<string> {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, `Coaching ${COACHEE.name}`);
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByTestId('session-title')).toHaveText(title);
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  return new URL(page.url()).pathname;
}

/** The coach adds an action on the open session, assigned to the coachee only. */
async function assignToCoachee(coach: Page, body: string) {
  const form = coach.locator('details.add-details form');
  // The form stays open after an action is added.
  if (!(await form.isVisible())) await coach.getByText('Add an action').click();
  await form.getByLabel('What will be done').fill(body);
  await form.getByLabel(COACHEE.name).check();
  await form.getByLabel(COACH.name).uncheck();
  await form.getByRole('button', { name: 'Add action' }).click();
  await expect(coach.getByTestId('action').filter({ hasText: body })).toHaveCount(1);
}

test("an action the coach assigns rings the coachee's bell live in two tabs; opening it in one clears both", async ({
  browser,
}) => {
  const coach = await (await browser.newContext()).newPage();
  const sessionPath = await coachOnSession(coach, 'Getting started');

  // The coachee: one browser, two tabs (one event stream, relayed to the other tab).
  const coachee = await browser.newContext();
  const first = await coachee.newPage();
  await signInToDashboard(first, COACHEE);
  const second = await coachee.newPage();
  await second.goto('/actions');
  const tabs = [first, second];
  for (const tab of tabs) {
    await expect(tab.getByTestId('inbox-bell')).toHaveAccessibleName('Notifications');
    await expect(tab.getByTestId('inbox-count')).toHaveCount(0);
    await expect(tab.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  // Nothing reloads from here on: the count arrives live.
  const loads: string[] = [];
  for (const tab of tabs) tab.on('load', () => loads.push(tab.url()));

  await assignToCoachee(coach, 'Write the talk outline');
  for (const tab of tabs) {
    await expect(tab.getByTestId('inbox-count')).toHaveText('1');
    await expect(tab.getByTestId('inbox-bell')).toHaveAccessibleName('Notifications, 1 unread');
  }
  expect(loads).toEqual([]);

  // Opening the panel in one tab marks the item read: the count clears in both.
  await second.getByTestId('inbox-bell').click();
  const panel = second.getByTestId('inbox-panel');
  const item = panel.getByTestId('inbox-item').filter({ hasText: 'Write the talk outline' });
  await expect(item).toContainText(`${COACH.name} assigned you an action`);
  await expect(item.getByRole('link')).toHaveAttribute('href', new RegExp(`^${sessionPath}\\?highlight=`));
  for (const tab of tabs) await expect(tab.getByTestId('inbox-count')).toHaveCount(0);
  await expect(second.getByTestId('inbox-bell')).toHaveAttribute('aria-label', 'Notifications');

  // Escape closes it and gives the bell the focus back.
  await second.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(second.getByTestId('inbox-bell')).toBeFocused();

  // The item leads to the session: the session page is an app of its own, loaded in full.
  await first.getByTestId('inbox-bell').click();
  const loaded = first.waitForEvent('load');
  await first.getByTestId('inbox-panel').getByTestId('inbox-item').filter({ hasText: 'Write the talk outline' })
    .getByRole('link').click();
  await loaded;
  await expect(first.getByTestId('session-title')).toHaveText('Getting started');
  expect(new URL(first.url()).pathname).toBe(sessionPath);
  await expect(first.getByTestId('inbox-panel')).toHaveCount(0);
  expect(loads.map((url) => new URL(url).pathname)).toEqual([sessionPath]);

  // A reload reads the inbox again: read stays read.
  await first.reload();
  await expect(first.getByTestId('inbox-bell')).toHaveAccessibleName('Notifications');
  await first.getByTestId('inbox-bell').click();
  await expect(first.getByTestId('inbox-item').filter({ hasText: 'Write the talk outline' })).not.toHaveClass(/unread/);
});

test('the coachee chooses which mails to get, and a reload keeps the choice', async ({ page }) => {
  await signInToDashboard(page, COACHEE);
  await page.goto('/settings');
  const hourBefore = page.getByLabel('A reminder an hour before each session');
  const digest = page.getByLabel('A daily digest of my actions due soon');
  const invites = page.getByLabel('Session invitations, with a calendar file');
  const save = page.getByRole('button', { name: 'Save notification settings' });
  // A new person's defaults.
  await expect(invites).toBeChecked();
  await expect(hourBefore).not.toBeChecked();
  await expect(digest).toBeChecked();

  await hourBefore.check();
  await digest.uncheck();
  await save.click();
  await expect(page.getByTestId('notifications-saved')).toHaveText('Your notification settings are saved.');
  await page.reload();
  await expect(hourBefore).toBeChecked();
  await expect(digest).not.toBeChecked();
  await expect(invites).toBeChecked();

  await hourBefore.uncheck();
  await digest.check();
  await save.click();
  await expect(page.getByTestId('notifications-saved')).toBeVisible();
  await page.reload();
  await expect(hourBefore).not.toBeChecked();
  await expect(digest).toBeChecked();
});

test('the unsubscribe link of an assigned-action mail turns those mails off in one click', async ({ browser }) => {
  const smtp = new SmtpSink();
  await smtp.start();
  const server = new OwnServer(await freePort(), ['--smtp-url', smtp.url]);
  await server.start();
  try {
    const coach = await (await browser.newContext({ baseURL: server.base })).newPage();
    await coachOnSession(coach, 'Getting started');
    await assignToCoachee(coach, 'Book the venue');
    const mail = await smtp.waitFor(COACHEE.email, /assigned you an action/);
    expect(mail.text).toContain('Book the venue');
    const link = mail.text.split(/\s+/).find((word) => word.includes('/unsubscribe/'));
    expect(link).toBeTruthy();

    // One click, signed in or not.
    const coachee = await (await browser.newContext({ baseURL: server.base })).newPage();
    await coachee.goto(link!);
    await expect(coachee.getByRole('heading', { name: 'Unsubscribed' })).toBeVisible();
    await expect(coachee.getByText('You will no longer get mails about actions assigned to you.')).toBeVisible();

    // Settings say so, and the next assigned action sends no mail (the bell still rings).
    await signInToDashboard(coachee, COACHEE);
    await coachee.goto('/settings');
    await expect(coachee.getByLabel('When someone assigns me an action')).not.toBeChecked();
    await expect(coachee.getByLabel('Session invitations, with a calendar file')).toBeChecked();
    await assignToCoachee(coach, 'Print the handouts');
    await expect(coachee.getByTestId('inbox-count')).toHaveText('2');
    const assigned = smtp.received().filter((m) => m.to.includes(COACHEE.email) && /assigned you an action/.test(m.subject));
    expect(assigned).toHaveLength(1);
  } finally {
    await server.stop();
    smtp.stop();
  }
});

test('the calendar feed address is shown once, can be replaced, and turned off', async ({ page }) => {
  await signInToDashboard(page, COACHEE);
  await page.goto('/settings');
  const feed = page.getByTestId('calendar-feed');
  await feed.getByRole('button', { name: 'Create feed address' }).click();
  const address = feed.getByTestId('calendar-feed-url');
  await expect(address).toHaveValue(/\/calendar\/.+\.ics$/);
  await expect(feed).toContainText('it is shown only this once');
  const first = new URL(await address.inputValue()).pathname;
  const calendar = await page.request.get(first);
  expect(calendar.status()).toBe(200);
  expect(await calendar.text()).toContain('BEGIN:VCALENDAR');

  // Shown only once: after a reload the feed is on, its address gone.
  await page.reload();
  await expect(feed.getByTestId('calendar-feed-state')).toContainText('Your feed is on since');
  await expect(address).toHaveCount(0);

  // Replacing makes a new address; the old one stops working.
  await feed.getByRole('button', { name: 'Replace address' }).click();
  await feed.getByRole('button', { name: 'Yes, replace' }).click();
  await expect(address).toHaveValue(/\/calendar\/.+\.ics$/);
  const second = new URL(await address.inputValue()).pathname;
  expect(second).not.toBe(first);
  expect((await page.request.get(first)).ok()).toBe(false);

  await feed.getByRole('button', { name: 'Turn off feed' }).click();
  await feed.getByRole('button', { name: 'Yes, turn off' }).click();
  await expect(feed.getByRole('button', { name: 'Create feed address' })).toBeVisible();
  expect((await page.request.get(second)).ok()).toBe(false);
});

test('with browser notifications on, a new item shows one while Tandem is in the background', async ({ browser }) => {
  const coach = await (await browser.newContext()).newPage();
  await coachOnSession(coach, 'Handling questions');

  // The browser's notifications, stood in for: permission granted, each one recorded, and
  // the page in the background when the test says so.
  const coachee = await browser.newContext();
  await coachee.addInitScript(() => {
    const w = window as unknown as { __shown: unknown[]; __hidden: boolean; Notification: unknown };
    w.__shown = [];
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => w.__hidden === true });
    w.Notification = class {
      static permission = 'granted';
      static requestPermission() {
        return Promise.resolve('granted');
      }
      onclick: unknown = null;
      constructor(title: string, options: { body?: string; tag?: string }) {
        w.__shown.push({ title, body: options.body, tag: options.tag });
      }
      close() {}
    };
  });
  const page = await coachee.newPage();
  await signInToDashboard(page, COACHEE);
  await page.goto('/settings');
  const toggle = page.getByRole('switch', { name: /Show a notification on this browser/ });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await expect(toggle).toBeChecked();
  expect(await page.evaluate(() => localStorage.getItem('tandem:browser-notifications'))).toBe('on');

  await page.goto('/dashboard');
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  await expect(page.getByTestId('inbox-bell')).toBeVisible();
  await page.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = true));
  await assignToCoachee(coach, 'Rehearse the opening');
  await expect(page.getByTestId('inbox-count')).toHaveText('1');
  const shown = await page.evaluate(() => (window as unknown as { __shown: unknown[] }).__shown);
  expect(shown).toEqual([
    { title: `${COACH.name} assigned you an action`, body: 'Rehearse the opening', tag: expect.any(String) },
  ]);

  // In view, the bell is enough: no browser notification.
  await page.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = false));
  await assignToCoachee(coach, 'Time the talk');
  await expect(page.getByTestId('inbox-count')).toHaveText('2');
  expect(await page.evaluate(() => (window as unknown as { __shown: unknown[] }).__shown.length)).toBe(1);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the open panel and the notification settings have no serious accessibility violation, ${scheme} theme`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await signInToDashboard(page, COACHEE);
    await page.getByTestId('inbox-bell').click();
    // The items the tests above made (or, alone, the empty panel).
    await expect(page.getByTestId('inbox-panel')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/settings');
    await expect(page.getByLabel('A daily digest of my actions due soon')).toBeVisible();
    // The address as it is shown once (made now, or made again where the light run made one).
    const feed = page.getByTestId('calendar-feed');
    const make = feed.getByRole('button', { name: /^(Create feed address|Replace address)$/ });
    const label = await make.textContent();
    await make.click();
    if (label === 'Replace address') await feed.getByRole('button', { name: 'Yes, replace' }).click();
    await expect(page.getByTestId('calendar-feed-url')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}
