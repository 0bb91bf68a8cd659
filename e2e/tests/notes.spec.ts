import { test, expect, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { API_HEADERS, COACH, COACHEE, bothOnSession as bothOnPage, chooseRelationship, followToSession, gate, signInToDashboard } from '../fixtures';
import { OwnServer, freePort } from '../server';

/** Both on the session, its notes open and saved. */
async function bothOnSession(browser: Browser, title: string, base?: string) {
  const both = await bothOnPage(browser, title, { base });
  for (const page of [both.coach, both.coachee]) {
    await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  }
  return both;
}

/** `count` characters of `word ` repeated: text that shows where it came from. */
function typed(word: string, count: number): string {
  return `${word} `.repeat(Math.ceil(count / (word.length + 1))).slice(0, count);
}

/** The notes: a rich text editor on Tandem's server, a text field without live notes. */
const notes = (page: Page) => page.getByRole('textbox', { name: 'Session notes', exact: true });

// Each journey signs two people in and reloads, restarts or waits out a presence time on
// top: on a loaded two-core machine that alone nears the suite's 30 s, with nothing wrong.
test.describe.configure({ timeout: 60_000 });

test('both type 200 characters at once at different places; both end with all 400', async ({ browser }) => {
  // A session whose notes hold text already: the two places are its start and its end.
  const { coach, coachee } = await bothOnSession(browser, 'Handling questions');
  const start = (await notes(coach).textContent()) ?? '';
  expect(start).not.toBe('');
  const byCoach = typed('coach', 200);
  const byCoachee = typed('coachee', 200);
  // The coach writes at the start, the coachee at the end, at the same time, keystroke by
  // keystroke, neither leaving the field.
  await notes(coach).focus();
  await coach.keyboard.press('Control+Home');
  await notes(coachee).focus();
  await coachee.keyboard.press('Control+End');
  await Promise.all([coach.keyboard.type(byCoach, { delay: 15 }), coachee.keyboard.type(byCoachee, { delay: 15 })]);
  const expected = byCoach + start + byCoachee;
  await expect(notes(coach)).toHaveText(expected);
  await expect(notes(coachee)).toHaveText(expected);
  await expect(notes(coach)).toBeFocused();
  await expect(notes(coachee)).toBeFocused();

  // A word appears on the other screen within a second, nobody leaving the field.
  await coach.keyboard.type(' Momentum');
  await expect(notes(coachee)).toHaveText(/Momentum/, { timeout: 1_000 });
  await expect(coachee.getByTestId('notes-typing')).toHaveText(`${COACH.name} is typing…`);
  await expect(coach.getByTestId('notes-state')).toHaveText('Saved');
  await coachee.reload();
  await expect(notes(coachee)).toHaveText((await notes(coach).textContent()) ?? '');
});

test('the caret of the person typing stays put while the other writes before it', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Handling questions');
  await notes(coachee).focus();
  await coachee.keyboard.press('Control+End');
  await notes(coach).focus();
  await coach.keyboard.press('Control+Home');
  await coach.keyboard.type('Earlier: ');
  await expect(notes(coachee)).toHaveText(/^Earlier: /);
  // Still at the end: what the coachee types next lands there.
  await coachee.keyboard.type(' (end)');
  await expect(notes(coach)).toHaveText(/^Earlier: .* \(end\)$/);
});

test('a server restart while typing loses nothing', async ({ browser }) => {
  const server = new OwnServer(await freePort());
  await server.start();
  try {
    const { coach, coachee } = await bothOnSession(browser, 'Getting started', server.base);
    await notes(coach).focus();
    await coach.keyboard.press('Control+End');
    await coach.keyboard.type(' before;');
    await expect(notes(coachee)).toHaveText(/ before;$/);
    await server.stop();
    await coach.keyboard.type(' during;');
    await expect(coach.getByTestId('notes-state')).toContainText('Offline');
    await server.start();
    await coach.keyboard.type(' after.');
    await expect(coach.getByTestId('notes-state')).toHaveText('Saved', { timeout: 15_000 });
    await expect(notes(coachee)).toHaveText(/ before; during; after\.$/, { timeout: 20_000 });
    await coach.reload();
    await expect(notes(coach)).toHaveText(/ before; during; after\.$/);
  } finally {
    await server.stop();
  }
});

test('typing while offline is kept and merges with the other person’s text on reconnection', async ({ browser }) => {
  const { coach, coachee, coacheeContext } = await bothOnSession(browser, 'Handling questions');
  await notes(coachee).focus();
  await coachee.keyboard.press('Control+End');
  await coacheeContext.setOffline(true);
  await coachee.keyboard.type(' Offline thought.');
  await expect(coachee.getByTestId('notes-state')).toContainText('Offline');
  await notes(coach).focus();
  await coach.keyboard.press('Control+Home');
  await coach.keyboard.type('Online meanwhile. ');
  await expect(coach.getByTestId('notes-state')).toHaveText('Saved');
  await coacheeContext.setOffline(false);
  const merged = /^Online meanwhile\. .* Offline thought\.$/s;
  await expect(notes(coachee)).toHaveText(merged, { timeout: 15_000 });
  await expect(notes(coach)).toHaveText(merged, { timeout: 15_000 });
  expect((await notes(coach).textContent()) ?? '').toBe((await notes(coachee).textContent()) ?? '');
});

test('presence shows who has the page open, and goes when they leave or vanish', async ({ browser }) => {
  // Pages that stop saying they are there are forgotten after 2 s instead of 20.
  const server = new OwnServer(await freePort(), ['--presence-ttl-secs', '2']);
  await server.start();
  try {
    const { coach, coachee, coacheeContext } = await bothOnSession(browser, 'Getting started', server.base);
    const present = coach.getByTestId('present-person');
    await expect(present).toHaveText([`${COACH.name} (you)`, COACHEE.name]);
    // A second tab of the coachee counts once.
    const second = await coacheeContext.newPage();
    await second.goto(coach.url());
    await expect(second.getByTestId('present-person')).toHaveCount(2);
    await second.close();
    await expect(present).toHaveCount(2);
    // Leaving the page says goodbye at once.
    await coachee.getByRole('link', { name: /All sessions/ }).click();
    await expect(present).toHaveText([`${COACH.name} (you)`]);
    await coachee.goBack();
    await expect(present).toHaveCount(2);
    // A browser that vanishes without a word (a closed laptop) is gone once its time runs out.
    await coacheeContext.setOffline(true);
    await coacheeContext.close();
    await expect(present).toHaveText([`${COACH.name} (you)`], { timeout: 15_000 });
  } finally {
    await server.stop();
  }
});

test('without live notes (a server like the reference backend) both type at once for ten rounds and every word is kept', async ({
  browser,
}) => {
  // Ten rounds, each waiting up to one read-again (5 s) for the other screen to catch up.
  test.setTimeout(180_000);
  const { coach, coachee } = await bothOnPage(browser, 'Getting started');
  // A session whose notes were never opened live: its note is one plain text, as there.
  const current = coach.url().split('/').pop()!.split('?')[0];
  const session = (await (await coach.request.get(`/api/coaching_sessions/${current}`, { headers: API_HEADERS })).json()).data;
  const made = await coach.request.post('/api/coaching_sessions', {
    headers: API_HEADERS,
    data: { coaching_relationship_id: session.coaching_relationship_id, date: '2027-03-03T09:00:00', duration_minutes: 30, title: 'Reference notes' },
  });
  const id = (await made.json()).data.id;
  const notesUrl = `/api/notes?coaching_session_id=${id}`;
  // Each "Saved" the page shows, with the text on screen at that moment.
  const watchSaved = () => {
    (window as unknown as { savedShown: string[] }).savedShown = [];
    new MutationObserver(() => {
      const state = document.querySelector('[data-testid="notes-state"]')?.textContent ?? '';
      const shown = (document.getElementById('session-notes') as HTMLTextAreaElement | null)?.value;
      if (state.startsWith('Saved') && shown !== undefined) (window as unknown as { savedShown: string[] }).savedShown.push(shown);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  };
  // Every text the server was given.
  const stored = new Set<string>(['']);
  for (const page of [coach, coachee]) {
    // The reference backend has no notes document: its route answers 404 as there.
    await page.route('**/api/coaching_sessions/*/notes/document**', (route) =>
      route.fulfill({ status: 404, contentType: 'text/plain', body: 'NOT FOUND' }),
    );
    page.on('request', (request) => {
      if (/\/api\/notes(\/|$)/.test(new URL(request.url()).pathname) && ['POST', 'PUT'].includes(request.method())) {
        stored.add(request.postDataJSON().body);
      }
    });
    await page.addInitScript(watchSaved);
    await page.goto(`/coaching-sessions/${id}`);
    await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  }
  const words: string[] = [];
  for (let round = 1; round <= 10; round += 1) {
    // Both saves of the round leave together: each waits at the gate until the other is there.
    const bothSaving = gate();
    let saving = 0;
    for (const page of [coach, coachee]) {
      await page.route(/\/api\/notes(\/|$)/, async (route) => {
        if (!['POST', 'PUT'].includes(route.request().method())) return route.fallback();
        saving += 1;
        if (saving === 2) bothSaving.open();
        await Promise.race([bothSaving.opened, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        await route.fallback();
      });
    }
    const mine = `coach${round}`;
    const theirs = `sam${round}`;
    words.push(mine, theirs);
    await Promise.all([
      notes(coach).press('End').then(() => notes(coach).pressSequentially(` ${mine}`)),
      notes(coachee).press('End').then(() => notes(coachee).pressSequentially(` ${theirs}`)),
    ]);
    for (const page of [coach, coachee]) {
      await expect(page.getByTestId('notes-state')).toHaveText(/^Saved/, { timeout: 15_000 });
      for (const word of words) await expect(notes(page)).toHaveValue(new RegExp(`\\b${word}\\b`), { timeout: 15_000 });
      await page.unrouteAll({ behavior: 'wait' });
      await page.route('**/api/coaching_sessions/*/notes/document**', (route) =>
        route.fulfill({ status: 404, contentType: 'text/plain', body: 'NOT FOUND' }),
      );
    }
    const answer = await coach.request.get(notesUrl, { headers: API_HEADERS });
    const text: string = (await answer.json()).data[0].body;
    for (const word of words) expect(text, `round ${round}`).toMatch(new RegExp(`\\b${word}\\b`));
    await expect(notes(coach)).toHaveValue(text);
    await expect(notes(coachee)).toHaveValue(text);
  }
  // "Saved" was only ever said over a text the server was given.
  for (const page of [coach, coachee]) {
    const shownWhenSaved = await page.evaluate(() => (window as unknown as { savedShown: string[] }).savedShown);
    expect(shownWhenSaved.length).toBeGreaterThan(10);
    for (const shown of shownWhenSaved) expect(stored.has(shown), `“Saved” over “${shown}”`).toBe(true);
  }
});

test('the merge engine is not fetched at start, only when notes first open, and once', async ({ page }) => {
  const engine: string[] = [];
  page.on('request', (request) => {
    if (/\/notes-engine-[0-9a-f]+\.js$/.test(new URL(request.url()).pathname)) engine.push(request.url());
  });
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await expect(page.getByTestId('previous-sessions')).toBeVisible();
  expect(engine).toEqual([]);
  await page.getByRole('link', { name: /Presence on stage/ }).click();
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  await notes(page).fill('Typed with the engine loaded on demand.');
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  // Another session's notes use the engine already there.
  await page.getByRole('link', { name: /Handling questions/ }).first().click();
  await expect(page.getByTestId('session-title')).toHaveText('Handling questions');
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  expect(engine).toHaveLength(1);
});

test('what was typed just before leaving for another page reaches the server', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  const sessionPath = await followToSession(page, page.getByRole('link', { name: /Presence on stage/ }));
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  // The first send is never answered (a slow network): it is still on its way, and what is
  // typed after it waits behind it, when the person leaves for the dashboard, a page of
  // another app and so a full page load, which ends both.
  let sends = 0;
  await page.context().route('**/api/coaching_sessions/*/notes/document', async (route) => {
    if (route.request().method() === 'POST' && sends++ === 0) return;
    await route.fallback();
  });
  await notes(page).fill('Typed before leaving.');
  await notes(page).pressSequentially(' And this too.');
  await expect(page.getByTestId('notes-state')).toHaveText('Saving…');
  await page.getByRole('link', { name: /All sessions/ }).click();
  await expect(page.getByTestId('welcome')).toBeVisible();
  // The page sent all of it as it went.
  await page.context().unrouteAll({ behavior: 'ignoreErrors' });
  await page.goto(sessionPath);
  await expect(notes(page)).toHaveText('Typed before leaving. And this too.');
});

test('a session exports as Markdown and prints without its controls', async ({ page }) => {
  await signInToDashboard(page, COACH);
  await chooseRelationship(page, 'Coaching Sam Rivera');
  await followToSession(page, page.getByRole('link', { name: /Presence on stage/ }));
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  await notes(page).fill('');
  // Typed as Markdown: the editor makes it bold, the export writes it back as Markdown.
  await notes(page).pressSequentially('Opening: **breathe** before the first slide.');
  await expect(notes(page).locator('strong')).toHaveText('breathe');
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  const download = page.waitForEvent('download');
  await page.getByTestId('notes-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^session-\d{4}-\d{2}-\d{2}\.md$/);
  const text = readFileSync(await file.path(), 'utf8');
  expect(text).toMatch(/^# Presence on stage\n/);
  expect(text).toContain('## Notes\n\nOpening: **breathe** before the first slide.\n');
  expect(text).toContain(`${COACH.name} and ${COACHEE.name}`);

  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.app-header')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  await expect(page.getByTestId('notes-export')).toBeHidden();
  await expect(notes(page)).toBeVisible();
  await expect(page.getByTestId('session-title')).toBeVisible();
});
