import { test, expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { COACH, COACHEE, chooseRelationship, followToSession, signInToDashboard } from '../fixtures';

// Live notes: how long a burst of typing by the coach takes to show on the coachee's
// screen, and how many bytes go over the wire per typed character.
//
// The coach types BURSTS short bursts (" m<n>." each) keystroke by keystroke into the
// session notes, without waiting for anything between them, as a person keeps typing. For
// each burst the clock starts at the keystroke that completes it (the coach's `input`
// event) and stops at the first frame of the coachee's page whose notes field holds it (a
// requestAnimationFrame scan: what the person sees). Bytes: the bodies of the coach's
// sends, and the data of the `note_document_updated` events the coachee's page receives
// (HTTP and TLS framing not counted).
// Runs in `make bench`; results go to ../target/bench/keystroke-to-screen.json.

const BURSTS = Number(process.env.BURSTS ?? '200');
/** A quick typist: 80 ms between keystrokes (about 150 words a minute is 80 ms/char). */
const KEY_DELAY_MS = 80;

test('keystroke to the other screen', async ({ browser }) => {
  test.setTimeout(600_000);
  const coach = await (await browser.newContext()).newPage();
  const coacheeContext = await browser.newContext();
  // Counts the bytes of every notes event the coachee's page receives.
  await coacheeContext.addInitScript(() => {
    (window as any).__noteEventBytes = 0;
    const add = EventSource.prototype.addEventListener;
    EventSource.prototype.addEventListener = function (this: EventSource, type: string, listener: any, options?: any) {
      if (type === 'note_document_updated') {
        const counting = (event: MessageEvent) => {
          (window as any).__noteEventBytes += new TextEncoder().encode(event.data).length;
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
      const area = document.getElementById('session-notes') as HTMLTextAreaElement | null;
      if (area) {
        for (const match of area.value.matchAll(/ m(\d+)\./g)) {
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
    document.getElementById('session-notes')!.addEventListener('input', (event) => {
      const at = performance.timeOrigin + performance.now();
      const value = (event.target as HTMLTextAreaElement).value;
      for (const match of value.matchAll(/ m(\d+)\./g)) {
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

  const notes = coach.getByLabel('Session notes');
  await notes.focus();
  await coach.keyboard.press('Control+End');
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
  };
  console.log(JSON.stringify(result));
  writeFileSync('../target/bench/keystroke-to-screen.json', JSON.stringify(result, null, 2));
});
