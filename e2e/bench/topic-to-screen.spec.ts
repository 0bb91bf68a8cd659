import { test, expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { API_HEADERS, COACH, COACHEE, signInToDashboard } from '../fixtures';

// The agenda live (issue 24): how long a topic the coach adds, and a reorder the coach makes
// by keyboard, take to show on the coachee's screen (from the coach's click or key press to
// the first frame drawn with it), and how many requests for topics the coachee's page makes
// per change (the server's topic events carry the entity and the order: none expected).
// Results go to ../target/bench/topic-to-screen.json.

const CHANGES = Number(process.env.CHANGES ?? '60');

/**
 * Records, in the coachee's page, when each marker's topic first shows (`__seen`) and when it
 * first stands at another place than where it showed (`__moved`).
 */
async function watchAgenda(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    const place: Record<string, number> = {};
    const moved: Record<string, number> = {};
    Object.assign(window as any, { __seen: seen, __moved: moved });
    const scan = () => {
      const now = performance.timeOrigin + performance.now();
      const topics = Array.from(document.querySelectorAll('[data-testid=topics] [data-testid=topic]'));
      topics.forEach((topic, index) => {
        const match = /mark-\d+/.exec(topic.textContent ?? '');
        if (!match) return;
        const m = match[0];
        if (!(m in seen)) (seen[m] = now), (place[m] = index);
        else if (index !== place[m] && !(m in moved)) moved[m] = now;
      });
    };
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

test('topic to screen', async ({ browser }) => {
  test.setTimeout(600_000);
  const coach = await (await browser.newContext()).newPage();
  const coachee = await (await browser.newContext()).newPage();
  const coachId = await signInToDashboard(coach, COACH);
  await signInToDashboard(coachee, COACHEE);
  const relationships = (await (await coach.request.get(`/api/users/${coachId}/coaching-relationships`, { headers: API_HEADERS })).json()).data;
  const withSam = relationships.find((r: { coachee_first_name: string }) => r.coachee_first_name === 'Sam');
  const today = new Date().toISOString().slice(0, 10);
  const list = `/api/coaching_sessions?coaching_relationship_id=${withSam.id}&from_date=${today}&to_date=2100-01-01`;
  const sessions = (await (await coach.request.get(list, { headers: API_HEADERS })).json()).data;
  const session = sessions[0].id as string;
  for (const page of [coach, coachee]) {
    await page.goto(`/coaching-sessions/${session}`);
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'Connected');
  }
  // A first topic, so that each one added next has a place above it to move to.
  await coach.getByLabel('New topic').fill('Warm-up');
  await coach.getByRole('button', { name: 'Add topic' }).click();
  await expect(coachee.getByTestId('topic').first()).toContainText('Warm-up');
  await watchAgenda(coachee);
  await coach.evaluate(() => {
    const mark = () => ((window as any).__actedAt = performance.timeOrigin + performance.now());
    document.addEventListener('click', mark, true);
    document.addEventListener('keydown', mark, true);
  });
  let topicRequests = 0;
  coachee.on('request', (request) => {
    if (request.url().includes('/topics')) topicRequests += 1;
  });

  const latencies: { kind: string; ms: number }[] = [];
  for (let n = 0; n < CHANGES; n++) {
    const marker = `mark-${n}`;
    const kind = n % 2 === 0 ? 'add' : 'reorder';
    let act: () => Promise<void>;
    // An added topic shows up; a reorder moves the topic added just before (last on the
    // agenda) up one place, by keyboard.
    const watched = kind === 'add' ? marker : `mark-${n - 1}`;
    const where = kind === 'add' ? '__seen' : '__moved';
    if (kind === 'add') {
      await coach.getByLabel('New topic').fill(`Topic ${marker}`);
      act = () => coach.getByRole('button', { name: 'Add topic' }).click();
    } else {
      const up = coach.getByRole('button', { name: `Move up: Topic ${watched}` });
      await up.focus();
      act = () => coach.keyboard.press('Enter');
    }
    await act();
    const actedAt: number = await coach.evaluate(() => (window as any).__actedAt);
    await coachee.waitForFunction(([m, w]) => m in (window as any)[w], [watched, where] as const, { timeout: 10_000 });
    const seenAt: number = await coachee.evaluate(([m, w]) => (window as any)[w][m], [watched, where] as const);
    latencies.push({ kind, ms: seenAt - actedAt });
    // The coach's own screen has settled before the next change.
    if (kind === 'add') await expect(coach.getByTestId('topic').last()).toContainText(marker);
  }
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p: number) => +sorted[Math.min(sorted.length - 1, Math.round((p / 100) * (sorted.length - 1)))].toFixed(1);
    return { p50_ms: at(50), p95_ms: at(95), max_ms: +sorted[sorted.length - 1].toFixed(1) };
  };
  const result = {
    changes: CHANGES,
    ...summary(latencies.map((l) => l.ms)),
    add: summary(latencies.filter((l) => l.kind === 'add').map((l) => l.ms)),
    reorder: summary(latencies.filter((l) => l.kind === 'reorder').map((l) => l.ms)),
    topic_requests_per_event: +(topicRequests / CHANGES).toFixed(2),
  };
  console.log(JSON.stringify(result));
  writeFileSync('../target/bench/topic-to-screen.json', JSON.stringify(result, null, 2));
});
