import { test, expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { COACH, COACHEE, chooseRelationship, followToSession, signInToDashboard } from '../fixtures';

// Live notes (the rich text editor): how long a burst of typing by the coach takes to show on
// the coachee's screen, how long a caret move takes to show there, and how many bytes go over
// the wire per typed character and per caret move.
//
// The coach types BURSTS short bursts (" m<n>." each) keystroke by keystroke into the
// session notes, without waiting for anything between them, as a person keeps typing. For
// each burst the clock starts at the keystroke that completes it (the coach's `input`
// event) and stops at the first frame of the coachee's page whose notes field holds it (a
// requestAnimationFrame scan: what the person sees). Bytes: the bodies of the coach's
// sends, and the data of the `note_document_updated` events the coachee's page receives
// (HTTP and TLS framing not counted).
// Carets: the coach then moves the caret MOVES characters left along a line, one keystroke
// every MOVE_DELAY_MS; each move's clock starts at its keydown and stops at the first frame
// of the coachee's page drawing the coach's caret at that character; bytes are the coach's
// caret sends and the `note_awareness_updated` events the coachee's page receives.
// Runs in `make bench`; results go to ../target/bench/keystroke-to-screen.json.

const BURSTS = Number(process.env.BURSTS ?? '200');
/** A quick typist: 80 ms between keystrokes (about 150 words a minute is 80 ms/char). */
const KEY_DELAY_MS = 80;
const MOVES = Number(process.env.MOVES ?? '60');
/** Arrow-key steps at the pace of someone reading along a line. */
const MOVE_DELAY_MS = 150;

test('keystroke to the other screen', async ({ browser }) => {
  test.setTimeout(600_000);
  const coach = await (await browser.newContext()).newPage();
  const coacheeContext = await browser.newContext();
  // Counts the bytes of every notes event the coachee's page receives.
  await coacheeContext.addInitScript(() => {
    (window as any).__noteEventBytes = 0;
    (window as any).__caretEventBytes = 0;
    const add = EventSource.prototype.addEventListener;
    EventSource.prototype.addEventListener = function (this: EventSource, type: string, listener: any, options?: any) {
      const counter = { note_document_updated: '__noteEventBytes', note_awareness_updated: '__caretEventBytes' }[type];
      if (counter) {
        const counting = (event: MessageEvent) => {
          (window as any)[counter] += new TextEncoder().encode(event.data).length;
          return typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event);
        };
        return add.call(this, type, counting as any, options);
      }
      return add.call(this, type, listener, options);
    } as any;
  });
  const coachee = await coacheeContext.newPage();
  await signInToDashboard(coach, COACH);
  await chooseRelationship(coach, 'Coaching Sam Rivera');
  await followToSession(coach, coach.getByRole('link', { name: /Getting started/ }));
  await signInToDashboard(coachee, COACHEE);
  await coachee.goto(coach.url());
  for (const page of [coach, coachee]) {
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
    await expect(page.getByTestId('notes-state')).toHaveText('Saved');
  }
  // The coachee's page: when each burst first shows in the notes field, frame by frame.
  await coachee.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as any).__seen = seen;
    const scan = () => {
      const editor = document.querySelector('[aria-label="Session notes"]');
      if (editor) {
        // The other person's caret draws their name with CSS: textContent is the notes alone.
        for (const match of (editor.textContent ?? '').matchAll(/ m(\d+)\./g)) {
          if (!(match[1] in seen)) seen[match[1]] = performance.timeOrigin + performance.now();
        }
      }
      requestAnimationFrame(scan);
    };
    requestAnimationFrame(scan);
  });
  // The coach's page: when each burst was completed by a keystroke.
  await coach.evaluate(() => {
    const typed: Record<string, number> = {};
    (window as any).__typed = typed;
    const editor = document.querySelector('[aria-label="Session notes"]')!;
    editor.addEventListener('input', () => {
      const at = performance.timeOrigin + performance.now();
      for (const match of (editor.textContent ?? '').matchAll(/ m(\d+)\./g)) {
        if (!(match[1] in typed)) typed[match[1]] = at;
      }
    });
  });
  let sentBytes = 0;
  coach.on('request', (request) => {
    if (request.url().endsWith('/notes/document') && request.method() === 'POST') {
      sentBytes += Buffer.byteLength(request.postData() ?? '');
    }
  });

  const notes = coach.getByRole('textbox', { name: 'Session notes', exact: true });
  await notes.fill('');
  await expect(coach.getByTestId('notes-state')).toHaveText('Saved');
  await notes.focus();
  let typedChars = 0;
  for (let n = 0; n < BURSTS; n++) {
    const burst = ` m${n}.`;
    typedChars += burst.length;
    await coach.keyboard.type(burst, { delay: KEY_DELAY_MS });
  }
  await coachee.waitForFunction((count) => Object.keys((window as any).__seen).length >= count, BURSTS, {
    timeout: 30_000,
  });
  await expect(coach.getByTestId('notes-state')).toHaveText('Saved');
  const typed: Record<string, number> = await coach.evaluate(() => (window as any).__typed);
  const seen: Record<string, number> = await coachee.evaluate(() => (window as any).__seen);
  const receivedBytes: number = await coachee.evaluate(() => (window as any).__noteEventBytes);
  const latencies = Object.keys(typed)
    .map((n) => seen[n] - typed[n])
    .sort((a, b) => a - b);
  expect(latencies.length).toBe(BURSTS);
  const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.round((p / 100) * (latencies.length - 1)))];
  const carets = await caretMoves(coach, coachee);
  const result = {
    bursts: BURSTS,
    key_delay_ms: KEY_DELAY_MS,
    typed_chars: typedChars,
    p50_ms: +pick(50).toFixed(1),
    p95_ms: +pick(95).toFixed(1),
    p99_ms: +pick(99).toFixed(1),
    max_ms: +latencies[latencies.length - 1].toFixed(1),
    sent_bytes_per_char: +(sentBytes / typedChars).toFixed(1),
    received_bytes_per_char: +(receivedBytes / typedChars).toFixed(1),
    ...carets,
  };
  console.log(JSON.stringify(result));
  writeFileSync('../target/bench/keystroke-to-screen.json', JSON.stringify(result, null, 2));
});

/** Moves the coach's caret along a line; when each move shows on the coachee's screen. */
async function caretMoves(coach: Page, coachee: Page) {
  const line = 'x'.repeat(MOVES + 10);
  await coach.keyboard.press('Enter');
  await coach.keyboard.type(line);
  await expect(coach.getByTestId('notes-state')).toHaveText('Saved');
  // The coachee's page: the first frame the coach's caret stands after each character of the line.
  await coachee.evaluate(() => {
    const seen: Record<number, number> = {};
    (window as any).__caretSeen = seen;
    const scan = () => {
      const caret = document.querySelector('[aria-label="Session notes"] .ProseMirror-yjs-cursor');
      const block = caret?.closest('p');
      if (caret && block && /^x+$/.test(block.textContent ?? '')) {
        const before = document.createRange();
        before.setStart(block, 0);
        before.setEndBefore(caret);
        const at = before.toString().length;
        if (!(at in seen)) seen[at] = performance.timeOrigin + performance.now();
      }
      requestAnimationFrame(scan);
    };
    requestAnimationFrame(scan);
  });
  // Where the caret stands before the first move: the end of the line.
  await coachee.waitForFunction(() => Object.keys((window as any).__caretSeen).length > 0, undefined, { timeout: 10_000 });
  const start = Math.max(...Object.keys(await coachee.evaluate(() => (window as any).__caretSeen)).map(Number));
  await coach.evaluate(() => {
    const pressed: number[] = [];
    (window as any).__pressed = pressed;
    document.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowLeft') pressed.push(performance.timeOrigin + performance.now());
    });
  });
  let sentBytes = 0;
  coach.on('request', (request) => {
    if (request.url().endsWith('/notes/awareness') && request.method() === 'POST') sentBytes += Buffer.byteLength(request.postData() ?? '');
  });
  const receivedBefore: number = await coachee.evaluate(() => (window as any).__caretEventBytes);
  for (let move = 0; move < MOVES; move += 1) {
    await coach.keyboard.press('ArrowLeft');
    await coach.waitForTimeout(MOVE_DELAY_MS);
  }
  await coachee.waitForFunction((end) => end in (window as any).__caretSeen, start - MOVES, { timeout: 10_000 });
  const pressed: number[] = await coach.evaluate(() => (window as any).__pressed);
  const seen: Record<number, number> = await coachee.evaluate(() => (window as any).__caretSeen);
  const receivedBytes: number = (await coachee.evaluate(() => (window as any).__caretEventBytes)) - receivedBefore;
  const latencies = pressed.map((at, i) => seen[start - i - 1] - at).filter((ms) => Number.isFinite(ms)).sort((a, b) => a - b);
  const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.round((p / 100) * (latencies.length - 1)))];
  return {
    caret_moves: MOVES,
    caret_moves_seen: latencies.length,
    caret_move_delay_ms: MOVE_DELAY_MS,
    caret_p50_ms: +pick(50).toFixed(1),
    caret_p95_ms: +pick(95).toFixed(1),
    caret_max_ms: +latencies[latencies.length - 1].toFixed(1),
    caret_sent_bytes_per_move: +(sentBytes / MOVES).toFixed(1),
    caret_received_bytes_per_move: +(receivedBytes / MOVES).toFixed(1),
  };
}
