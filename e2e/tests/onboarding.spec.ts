import { test, expect, type Browser, type Page } from '@playwright/test';
import { COACH, COACHEE, DEMO_PASSWORD, signIn, signInToDashboard } from '../fixtures';
import { linkIn, SmtpSink } from '../mailbox';
import { freePort, OwnServer } from '../server';

const PASSWORD = 'a-good-long-password';

/** A page in a browser context of its own on `server`. */
async function person(browser: Browser, server: OwnServer): Promise<Page> {
  return (await browser.newContext({ baseURL: server.base })).newPage();
}

/** Follows a setup or reset link: chooses the password twice and waits for the dashboard. */
async function choosePassword(page: Page, link: string) {
  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** A server of the test's own that mails through a real SMTP server started here. */
async function serverWithMail(demo: boolean): Promise<{ server: OwnServer; smtp: SmtpSink }> {
  const smtp = new SmtpSink();
  await smtp.start();
  const server = new OwnServer(await freePort(), ['--smtp-url', smtp.url, '--mail-from', 'Tandem <tandem@e2e.test>'], {
    demo,
  });
  await server.start();
  return { server, smtp };
}

test('an organization starts from an empty database: first admin, invitations by mail, a session seen live', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { server, smtp } = await serverWithMail(false);
  try {
    // The first administrator comes from the command line, with a one-time link.
    const printed = await server.admin(
      'create-superadmin', '--email', 'ada@e2e.test', '--first-name', 'Ada', '--last-name', 'Admin',
    );
    const setupLink = printed.match(/https?:\/\/\S+\/setup\/\S+/)?.[0];
    expect(setupLink, printed).toBeTruthy();
    const admin = await person(browser, server);
    await admin.goto(setupLink!);
    await expect(admin.getByTestId('link-person')).toContainText('ada@e2e.test');
    await expect(admin.getByText('Use 8 to 128 characters.')).toBeVisible();
    await admin.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await admin.getByLabel('Confirm password').fill(PASSWORD);
    await admin.getByRole('button', { name: 'Set password' }).click();
    await expect(admin).toHaveURL(/\/dashboard$/);

    // An organization, from the person menu.
    await admin.locator('.person-button').click();
    await admin.getByRole('link', { name: 'Organizations' }).click();
    await admin.getByLabel('Organization name').fill('Acme Coaching');
    await admin.getByRole('button', { name: 'Create organization' }).click();
    await admin.getByRole('link', { name: 'Members of Acme Coaching' }).click();
    await expect(admin.getByRole('heading', { name: 'Members' })).toBeVisible();
    await expect(admin.getByRole('main').getByTestId('organization-name')).toHaveText('Acme Coaching');

    // A coach, then a coachee with that coach.
    const invite = async (email: string, first: string, last: string, coach?: string) => {
      await admin.getByLabel('Email').fill(email);
      await admin.getByLabel('First name').fill(first);
      await admin.getByLabel('Last name').fill(last);
      if (coach) await admin.getByLabel('Their coach (optional)').selectOption({ label: coach });
      await admin.getByRole('button', { name: 'Add member' }).click();
      const row = admin.getByTestId('member-row').filter({ hasText: email });
      await expect(row.getByTestId('invite-status')).toHaveText('Invited');
      return row;
    };
    const coraRow = await invite('cora@e2e.test', 'Cora', 'Coach');
    const cleoRow = await invite('cleo@e2e.test', 'Cleo', 'Coachee', 'Cora Coach (cora@e2e.test)');

    // Each invitation arrives at the SMTP server; each person sets a password from it and
    // the admin's list flips to Active live, without a reload.
    const coach = await person(browser, server);
    const coraMail = await smtp.waitFor('cora@e2e.test');
    expect(coraMail.subject).toContain('Acme Coaching');
    await choosePassword(coach, linkIn(coraMail, 'setup'));
    await expect(coraRow.getByTestId('invite-status')).toHaveText('Active');
    await expect(cleoRow.getByTestId('invite-status')).toHaveText('Invited');

    const coachee = await person(browser, server);
    await choosePassword(coachee, linkIn(await smtp.waitFor('cleo@e2e.test'), 'setup'));
    await expect(cleoRow.getByTestId('invite-status')).toHaveText('Active');

    // Both dashboards show the other.
    await expect(coach.getByTestId('welcome')).toHaveText('Welcome, Cora Coach');
    await expect(coach.getByTestId('relationship-title')).toHaveText('Coaching Cleo Coachee');
    await expect(coachee.getByTestId('relationship-title')).toHaveText('Coached by Cora Coach');

    // The coach schedules a session; it appears on the coachee's dashboard at once.
    // A month from now: the dashboard lists a year either side of today.
    const inAMonth = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await coach.getByLabel(/^Date and time/).fill(`${inAMonth}T10:00`);
    await coach.getByLabel('Title (optional)').fill('Our first session');
    await coach.getByRole('button', { name: 'Schedule session' }).click();
    await expect(coach.getByTestId('session-row').filter({ hasText: 'Our first session' })).toHaveCount(1);
    await expect(coachee.getByTestId('session-row').filter({ hasText: 'Our first session' })).toHaveCount(1);
  } finally {
    await server.stop();
    smtp.stop();
  }
});

test('a forgotten password is reset by mail: the old one fails, the other browser is signed out, dead links say so', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const { server, smtp } = await serverWithMail(true);
  try {
    // Sam is signed in on another device.
    const elsewhere = await person(browser, server);
    await signInToDashboard(elsewhere, COACHEE);

    const page = await person(browser, server);
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
    await page.getByLabel('Email').fill(COACHEE.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByTestId('reset-requested')).toHaveText(
      'If an account uses that email, a link to reset the password is on its way.',
    );
    // The same answer for nobody, and no mail for them.
    await page.getByLabel('Email').fill('nobody@e2e.test');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByTestId('reset-requested')).toBeVisible();

    const link = linkIn(await smtp.waitFor(COACHEE.email, /Reset your Tandem password/), 'reset-password');
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${COACHEE.name}`);

    // The other device was signed out, with the reason; the old password no longer works.
    await expect(elsewhere).toHaveURL(/\/login\?reason=forced_logout/);
    await expect(elsewhere.getByTestId('login-reason')).toContainText('Your password was reset.');
    await signIn(elsewhere, COACHEE.email, DEMO_PASSWORD);
    await expect(elsewhere.getByTestId('login-error')).toBeVisible();
    await expect(elsewhere).toHaveURL(/\/login/);

    // A used link and a forged one get the clear page, never an error.
    for (const dead of [link, link.replace(/\/[^/]+$/, `/${'A'.repeat(43)}`), link.replace(/\/[^/]+$/, '/forged')]) {
      await page.goto(dead);
      await expect(page.getByText('This link is no longer valid. Ask for a new one.')).toBeVisible();
      await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
    }
    expect(smtp.received().filter((mail) => mail.to.includes('nobody@e2e.test'))).toHaveLength(0);
  } finally {
    await server.stop();
    smtp.stop();
  }
});

test('an invitation link that was replaced gets the clear page', async ({ browser }) => {
  test.setTimeout(60_000);
  const server = new OwnServer(await freePort(), [], { demo: false });
  await server.start();
  try {
    const first = (await server.admin('create-superadmin', '--email', 'x@e2e.test', '--first-name', 'X', '--last-name', 'Y'))
      .match(/https?:\/\/\S+\/setup\/\S+/)![0];
    await server.admin('create-superadmin', '--email', 'x@e2e.test', '--first-name', 'X', '--last-name', 'Y');
    const page = await person(browser, server);
    await page.goto(first);
    await expect(page.getByTestId('link-invalid')).toHaveText(
      /This invitation link is no longer valid\. Ask your coach for a new invitation\./,
    );
  } finally {
    await server.stop();
  }
});

test('a time zone change in settings moves every shown time, and the other tab follows live', async ({ page, context }) => {
  await signInToDashboard(page, COACH);
  const row = page.getByTestId('upcoming-sessions').getByTestId('session-row').first();
  const before = await row.textContent();
  expect(before).toMatch(/\d\d:\d\d/);

  const settings = await context.newPage();
  await settings.goto('/settings');
  await expect(settings.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(settings.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
  await settings.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await settings.getByRole('button', { name: 'Save profile' }).click();
  await expect(settings.getByTestId('profile-saved')).toBeVisible();

  // Berlin (UTC+1 in winter) to Tokyo (UTC+9): every time moves eight hours, in the other
  // tab too, without a reload; the scheduling form names the new zone.
  const hour = (text: string | null) => Number(/(\d\d):\d\d/.exec(text ?? '')?.[1]);
  await expect(row).not.toHaveText(before ?? '');
  expect((hour(await row.textContent()) - hour(before) + 24) % 24).toBe(8);
  await expect(page.getByLabel('Date and time (Asia/Tokyo)')).toBeVisible();
});

test('a coachee reaches no administration page', async ({ page }) => {
  await signInToDashboard(page, COACHEE);
  await page.locator('.person-button').click();
  await expect(page.getByRole('link', { name: 'Organizations' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /^Members/ })).toHaveCount(0);
  await page.goto('/admin/organizations');
  await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
});
