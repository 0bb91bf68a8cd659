import { test, expect, type Browser, type Page } from '@playwright/test';
import { API_HEADERS, bothOnSession } from '../fixtures';

// Rich notes on Tandem's server: two people formatting at once, undo of one's own edits,
// words picked from the notes becoming an action, plain notes from before moved once, and
// hostile pasted HTML made harmless.

/** The notes editor. */
const notes = (page: Page) => page.getByRole('textbox', { name: 'Session notes', exact: true });

test.describe.configure({ timeout: 60_000 });

/** A new session in the relationship of the session on the coach's page, `days` from now. */
async function freshSession(coach: Page, days: number, title: string): Promise<string> {
  const current = coach.url().split('/').pop()!.split('?')[0];
  const session = (await (await coach.request.get(`/api/coaching_sessions/${current}`, { headers: API_HEADERS })).json()).data;
  const day = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const made = await coach.request.post('/api/coaching_sessions', {
    headers: API_HEADERS,
    data: { coaching_relationship_id: session.coaching_relationship_id, date: `${day}T09:00:00`, duration_minutes: 30, title },
  });
  expect(made.ok()).toBe(true);
  return (await made.json()).data.id;
}

async function open(page: Page, id: string) {
  await page.goto(`/coaching-sessions/${id}`);
  await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
}

/** The notes as the server renders them (the reference's `/notes` body). */
async function storedMarkdown(page: Page, id: string): Promise<string> {
  const answer = await page.request.get(`/api/notes?coaching_session_id=${id}`, { headers: API_HEADERS });
  expect(answer.ok()).toBe(true);
  return (await answer.json()).data[0]?.body ?? '';
}

/** The coach and Sam, each in a browser of their own, on a new session's notes. */
async function bothOnNewSession(browser: Browser, days: number, title: string) {
  const both = await bothOnSession(browser, 'Getting started');
  const id = await freshSession(both.coach, days, title);
  await open(both.coach, id);
  await open(both.coachee, id);
  return { ...both, id };
}

/** Puts the caret at the end of the block holding `text`. */
async function caretAfter(page: Page, text: string) {
  await notes(page).locator('p, h3, h4', { hasText: text }).first().click();
  await page.keyboard.press('End');
}

test('both format at once in different places and end with the same notes, kept on reload', async ({ browser }) => {
  const { coach, coachee, id } = await bothOnNewSession(browser, 40, 'Rich notes together');
  await notes(coach).fill('Coach area\nSam area');
  await expect(notes(coachee).locator('p')).toHaveText(['Coach area', 'Sam area']);

  await Promise.all([
    (async () => {
      // The coach makes a heading by shortcut and a bullet list by Markdown input.
      await caretAfter(coach, 'Coach area');
      await coach.keyboard.press('Control+Alt+1');
      await coach.keyboard.press('End');
      await coach.keyboard.press('Enter');
      await coach.keyboard.type('- first point', { delay: 10 });
      await coach.keyboard.press('Enter');
      await coach.keyboard.type('second point', { delay: 10 });
    })(),
    (async () => {
      // Meanwhile the coachee writes a task, ticks it, and writes bold text below.
      await caretAfter(coachee, 'Sam area');
      await coachee.keyboard.press('Enter');
      await coachee.keyboard.type('[ ] call the venue', { delay: 10 });
      await notes(coachee).getByRole('checkbox', { name: 'Done' }).check();
      await caretAfter(coachee, 'call the venue');
      await coachee.keyboard.press('Enter');
      await coachee.keyboard.press('Enter');
      await coachee.keyboard.type('A **bold move** now', { delay: 10 });
    })(),
  ]);

  for (const page of [coach, coachee]) {
    await expect(notes(page).locator('h3')).toHaveText('Coach area');
    await expect(notes(page).locator('ul:not(.task-list) > li')).toHaveText(['first point', 'second point']);
    await expect(notes(page).locator('li[data-task="done"]')).toHaveText('call the venue');
    await expect(notes(page).getByRole('checkbox', { name: 'Done' })).toBeChecked();
    await expect(notes(page).locator('strong')).toHaveText('bold move');
    await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  }
  const markdown = '# Coach area\n\n- first point\n- second point\n\nSam area\n\n- [x] call the venue\n\nA **bold move** now\n';
  await expect.poll(() => storedMarkdown(coach, id)).toBe(markdown);
  await coachee.reload();
  await expect(notes(coachee).locator('h3')).toHaveText('Coach area');
  await expect(notes(coachee).locator('strong')).toHaveText('bold move');
  expect(await storedMarkdown(coachee, id)).toBe(markdown);
});

test('undo takes back only one’s own typing, by keyboard and by the toolbar', async ({ browser }) => {
  const { coach, coachee } = await bothOnNewSession(browser, 41, 'Undo of my own');
  // The text both start from is the coachee's: the coach's undo leaves it.
  await notes(coachee).fill('Top\nBottom');
  await expect(notes(coach).locator('p')).toHaveText(['Top', 'Bottom']);
  await caretAfter(coach, 'Top');
  await coach.keyboard.type(' mine');
  await expect(notes(coachee).locator('p').first()).toHaveText('Top mine');
  await caretAfter(coachee, 'Bottom');
  await coachee.keyboard.type(' theirs');
  await expect(notes(coach).locator('p').last()).toHaveText('Bottom theirs');
  await notes(coach).focus();
  await coach.keyboard.press('Control+z');
  for (const page of [coach, coachee]) {
    await expect(notes(page).locator('p')).toHaveText(['Top', 'Bottom theirs']);
  }
  await coach.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Redo' }).click();
  for (const page of [coach, coachee]) {
    await expect(notes(page).locator('p')).toHaveText(['Top mine', 'Bottom theirs']);
  }
});

test('selected words become an action, an agreement and a goal both people see', async ({ browser }) => {
  const { coach, coachee } = await bothOnNewSession(browser, 42, 'From notes to actions');
  await notes(coach).fill('We agreed: Sam books the rehearsal room');
  // A first pick, then a second one before adding: the form takes the second.
  await coach.keyboard.press('Control+a');
  await coach.getByRole('button', { name: 'Add as action' }).click();
  await expect(coach.getByLabel('What will be done')).toHaveValue('We agreed: Sam books the rehearsal room');
  await notes(coach).locator('p').click();
  await coach.keyboard.press('Control+End');
  // Selects "Sam books the rehearsal room" from the keyboard.
  for (let i = 0; i < 5; i += 1) await coach.keyboard.press('Control+Shift+ArrowLeft');
  await coach.getByRole('button', { name: 'Add as action' }).click();
  const body = coach.getByLabel('What will be done');
  await expect(body).toHaveValue('Sam books the rehearsal room');
  await expect(body).toBeFocused();
  await coach.getByRole('button', { name: 'Add action' }).click();
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('action').filter({ hasText: 'Sam books the rehearsal room' })).toHaveCount(1);
  }
  // The same for an agreement; with nothing selected the page says what to do.
  await notes(coach).locator('p').click();
  await coach.keyboard.press('Control+End');
  await coach.getByRole('button', { name: 'Add as agreement' }).click();
  await expect(coach.getByText('Select words in the notes first.')).toBeVisible();
  await notes(coach).focus();
  await coach.keyboard.press('Control+a');
  await coach.getByRole('button', { name: 'Add as agreement' }).click();
  await expect(coach.getByLabel('New agreement')).toHaveValue('We agreed: Sam books the rehearsal room');
  await coach.getByRole('button', { name: 'Add agreement' }).click();
  await expect(coachee.getByTestId('agreement').filter({ hasText: 'We agreed: Sam books' })).toHaveCount(1);
  // And a goal, from the coachee's side this time.
  await notes(coachee).focus();
  await coachee.keyboard.press('Control+a');
  await coachee.getByRole('button', { name: 'Add as goal' }).click();
  await expect(coachee.getByLabel('New goal')).toHaveValue('We agreed: Sam books the rehearsal room');
  await expect(coachee.getByLabel('New goal')).toBeFocused();
  await coachee.getByRole('button', { name: 'Add goal' }).click();
  await expect(coach.getByTestId('goal').filter({ hasText: 'We agreed: Sam books' })).toHaveCount(1);
});

test('plain notes from before arrive whole, once, when two people open them at the same moment', async ({ browser }) => {
  const { coach, coachee } = await bothOnSession(browser, 'Getting started');
  const id = await freshSession(coach, 43, 'Notes from before');
  // Written as the reference's clients write notes: one plain text.
  const written = await coach.request.post('/api/notes', {
    headers: API_HEADERS,
    data: { coaching_session_id: id, body: 'First line\nSecond line\nThird line' },
  });
  expect(written.ok()).toBe(true);
  await Promise.all([coach.goto(`/coaching-sessions/${id}`), coachee.goto(`/coaching-sessions/${id}`)]);
  for (const page of [coach, coachee]) {
    await expect(notes(page).locator('p')).toHaveText(['First line', 'Second line', 'Third line']);
    await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  }
  expect(await storedMarkdown(coach, id)).toBe('First line\n\nSecond line\n\nThird line\n');
  await coach.reload();
  await expect(notes(coach).locator('p')).toHaveText(['First line', 'Second line', 'Third line']);
});

test('pasted HTML keeps its formatting and loses scripts, handlers, images and unsafe links', async ({ browser }) => {
  const { coach, coachee, id } = await bothOnNewSession(browser, 44, 'Hostile paste');
  const errors: string[] = [];
  coach.on('pageerror', (error) => errors.push(error.message));
  await notes(coach).click();
  await notes(coach).evaluate((editor) => {
    const html =
      '<h2 onclick="window.__pwned=1">Pasted title</h2>' +
      '<p>Safe <b>bold</b> text<script>window.__pwned=2</script>' +
      '<img src="https://images.invalid/x.png" onerror="window.__pwned=3">' +
      ' <a href="javascript:window.__pwned=4">js link</a>' +
      ' <a href="JaVa&#x09;ScRiPt:window.__pwned=5">tab link</a>' +
      ' <a href="data:text/html,<script>window.__pwned=6</script>">data link</a>' +
      ' <a href="https://ok.example/" onmouseover="window.__pwned=7">ok link</a></p>' +
      '<style>body { display: none }</style><iframe src="https://frame.invalid/"></iframe>';
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'Pasted title');
    editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  for (const page of [coach, coachee]) {
    const editor = notes(page);
    await expect(editor.locator('h4, h3')).toHaveText('Pasted title');
    await expect(editor.locator('strong')).toHaveText('bold');
    await expect(editor).toContainText('js link');
    await expect(editor).toContainText('data link');
    await expect(editor.locator('a')).toHaveCount(1);
    await expect(editor.locator('a')).toHaveAttribute('href', 'https://ok.example/');
    // (ProseMirror's own empty `img.ProseMirror-separator` after the other person's caret excepted.)
    await expect(editor.locator('script, style, img:not(.ProseMirror-separator), img[src], iframe, [onclick], [onerror], [onmouseover]')).toHaveCount(0);
    await editor.locator('a').hover();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(page.locator('body')).toBeVisible();
  }
  await expect.poll(() => storedMarkdown(coach, id)).toContain('[ok link](https://ok.example/)');
  const markdown = await storedMarkdown(coach, id);
  expect(markdown).not.toMatch(/javascript|data:|<script|onerror|onclick|images\.invalid|frame\.invalid/i);
  // A page's h2 is a first-level heading in the notes (h1 to h3 are; h4 to h6 the second).
  expect(markdown).toMatch(/^# Pasted title\n/);
  expect(errors).toEqual([]);
});

test('the editor is a labelled multi-line text box with a toolbar usable by keyboard', async ({ browser }) => {
  const { coach, id } = await bothOnNewSession(browser, 45, 'Keyboard notes');
  const editor = notes(coach);
  await expect(editor).toHaveAttribute('aria-multiline', 'true');
  await editor.fill('Shortcuts');
  await coach.keyboard.press('Control+a');
  await coach.keyboard.press('Control+b');
  const bold = coach.getByRole('button', { name: 'Bold' });
  await expect(bold).toHaveAttribute('aria-pressed', 'true');
  await expect(editor.locator('strong')).toHaveText('Shortcuts');
  // Tab leaves the text (outside a list) for the next control, as everywhere.
  await coach.keyboard.press('End');
  await coach.keyboard.press('Shift+Tab');
  await expect(editor).not.toBeFocused();
  await expect(coach.getByRole('toolbar', { name: 'Formatting' }).locator(':focus')).toHaveCount(1);
  // A toolbar button by keyboard: Italic, with the text still selected.
  await editor.focus();
  await coach.keyboard.press('Control+a');
  await coach.getByRole('button', { name: 'Italic' }).focus();
  await coach.keyboard.press('Enter');
  await expect(editor.locator('em')).toHaveText('Shortcuts');
  await expect(coach.getByTestId('notes-state')).toHaveText('Saved');
  await expect.poll(() => storedMarkdown(coach, id)).toBe('***Shortcuts***\n');
});

test('each sees the other’s caret with their name, moving as they type, gone when they leave', async ({ browser }) => {
  // Waits out the 30 s in which a vanished browser's caret goes.
  test.setTimeout(90_000);
  const { coach, coachee, coacheeContext, id } = await bothOnNewSession(browser, 46, 'Carets');
  await notes(coach).fill('First line of the coach\nSecond line');
  await expect(notes(coachee).locator('p')).toHaveText(['First line of the coach', 'Second line']);
  await caretAfter(coachee, 'Second line');
  const samOnCoach = notes(coach).locator('.ProseMirror-yjs-cursor[data-name="Sam Rivera"]');
  await expect(samOnCoach).toBeVisible();
  const before = await samOnCoach.boundingBox();
  await coachee.keyboard.type(' and more words');
  await expect(notes(coach).locator('p').last()).toHaveText('Second line and more words');
  await expect.poll(async () => (await samOnCoach.boundingBox())?.x).toBeGreaterThan(before!.x + 20);
  // The caret's name is drawn, not text in the notes (and hidden from assistive technology).
  await expect(samOnCoach).toHaveAttribute('aria-hidden', 'true');
  await expect(notes(coach)).not.toContainText('Sam Rivera');
  // The coach's caret shows on Sam's screen likewise, in the coach's colour.
  await caretAfter(coach, 'First line');
  const alexOnSam = notes(coachee).locator('.ProseMirror-yjs-cursor[data-name="Alex Morgan"]');
  await expect(alexOnSam).toBeVisible();
  expect(await alexOnSam.evaluate((caret) => getComputedStyle(caret).borderLeftColor)).toBe('rgb(31, 95, 191)');
  // A selection shows as a highlight on the other screen.
  await coach.keyboard.press('Shift+Home');
  await expect(notes(coachee).locator('.ProseMirror-yjs-selection')).toHaveText(/First line/);
  // Sam leaves the page: the caret goes at once.
  await coachee.getByRole('link', { name: /All sessions/ }).click();
  await expect(samOnCoach).toHaveCount(0);
  await coachee.goBack();
  await caretAfter(coachee, 'Second line');
  await expect(samOnCoach).toBeVisible();
  // Sam's browser vanishes without a word (offline, then gone): the caret goes within 30 s.
  await coacheeContext.setOffline(true);
  await coacheeContext.close();
  await expect(samOnCoach).toHaveCount(0, { timeout: 40_000 });
});
