// Assembles `make bench`'s parts (target/bench/*.json) into report.json, report.md and SVG
// charts, states the machine, commit and date, checks the targets, and prints a summary.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import os from 'node:os';

const dir = 'target/bench';
const read = (name) => (existsSync(`${dir}/${name}`) ? JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) : null);
const fan = read('fanout.json') ?? { fanout: [], catchup: null };
const screen = read('event-to-screen.json');
const start = read('start.json');
const tabs = read('tabs.json');
const keystrokes = read('keystroke-to-screen.json');
const topics = read('topic-to-screen.json');
const busy = read('start-busy.json');
const sizes = JSON.parse(execSync('node scripts/bundle-size.mjs dist --json').toString());
/** The notes editor with Yjs, loaded on demand by the session page (null when not built). */
const engine = sizes.session?.later?.["notes-engine"] ?? null;
const commit = execSync('git rev-parse --short HEAD').toString().trim();
const machine = { cores: os.cpus().length, memory_gib: +(os.totalmem() / 2 ** 30).toFixed(1), cpu: os.cpus()[0]?.model ?? '' };

const report = {
  machine,
  commit,
  date: new Date().toISOString(),
  fanout: fan.fanout,
  fanout_stopped: fan.fanout_stopped ?? null,
  cluster: fan.cluster ?? null,
  peer: fan.peer ?? null,
  catchup: fan.catchup,
  under_attack: fan.under_attack ?? null,
  mail_queue: fan.mail_queue ?? null,
  rolling_restart: fan.rolling_restart ?? null,
  metrics_cost: fan.metrics_cost ?? null,
  notifications: fan.notifications ?? null,
  event_to_screen: screen && { changes: screen.changes, p50_ms: screen.p50_ms, p95_ms: screen.p95_ms, p99_ms: screen.p99_ms, max_ms: screen.max_ms, requests_per_event: screen.requests_per_event, median_ms_by_kind: screen.median_ms_by_kind, renders_per_event: screen.renders_per_event, median_renders_by_kind: screen.median_renders_by_kind },
  // The main app (sign-in, dashboard, actions), then the session page's app and the account
  // pages' app, which only those pages load.
  bundle: { wasm_raw: sizes.wasm.raw, wasm_br: sizes.wasm.br, js_raw: sizes.js.raw, js_br: sizes.js.br, css_raw: sizes.css.raw, css_br: sizes.css.br, total_br: sizes.total.br, session_total_raw: sizes.session?.total.raw ?? null, session_total_br: sizes.session?.total.br ?? null, accounts_total_raw: sizes.accounts?.total.raw ?? null, accounts_total_br: sizes.accounts?.total.br ?? null },
  start: start && { runs: start.runs, cold_ms: start.cold_ms, warm_ms: start.warm_ms, cold: start.cold, warm: start.warm },
  tabs,
  keystroke_to_screen: keystrokes,
  topic_to_screen: topics,
  start_busy_coach: busy,
};
writeFileSync(`${dir}/report.json`, JSON.stringify(report, null, 2));

const step = (n) => report.fanout.find((s) => s.connections === n);
const cluster = report.cluster && report.cluster.p95_ms != null ? report.cluster : null;
// What holds each target back when it is missed: the known limits, from docs/performance.md.
const limits = {
  screen: 'two Chromium renderers, the Playwright driver and the server share the cores; an event without its entity costs the receiving page a request',
  requests: 'events that name an entity without carrying it make the receiving page refetch it',
  renders: 'a component that holds data it does not show re-renders with it; see docs/performance.md for the per-kind counts',
  fanout: 'every write is serialised per person and fanned out from one process; on 2 cores the load generator competes with the server',
  cluster: 'each event makes a round trip through PostgreSQL (NOTIFY) before any instance delivers it; the database, two instances and the load generator share 2 cores',
  memory: "hyper keeps an 8 KiB read and an 8 KiB write buffer per connection (not configurable), plus the connection's task and channel",
  lost: 'a client whose buffer overflowed was closed and had to catch up',
  bundle: "the components' own code, serde's decoders for every entity, yew, yewdux and the router",
  cold: 'download and compile of the wasm and the first drawing, which V8 compiles function by function on first use',
  attack: 'the failed sign-ins that pass the throttle each take a core for an argon2 check',
  tabs: 'each tab downloads (from cache), compiles and starts the web app on its own; all tabs share the 2 cores with the server',
  streams: 'a tab took the stream over or kept its own (no Web Locks or BroadcastChannel)',
  topics: 'each change is one write through the database and one event that carries the topic or the order to the other page; both Chromium renderers, the Playwright driver and the server share 2 cores',
  topicRequests: 'a topic event without its entity (the reference\'s topics_changed) makes the receiving page refetch the agenda',
  busy: 'the dashboard asks for the sessions of every relationship it shows; more relationships, more requests and more rows to draw',
  keystrokes: 'each burst is one write through the database and one event to the other page; both Chromium renderers, the Playwright driver and the server share 2 cores',
  warm: "V8's compiled-code cache is written only after the code settles; reloads within seconds compile again",
};
const missed = [];
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const check = (label, ok, value, limit) => {
  if (ok === false) missed.push(`- **${label}**: ${limits[limit]}.`);
  return `| ${label} | ${value} | ${ok === null ? 'not measured' : ok ? 'met' : '**missed**'} |`;
};
const targets = [
  check('event to screen p95 < 50 ms', screen ? screen.p95_ms < 50 : null, screen ? `${screen.p95_ms} ms` : '-', 'screen'),
  check('≤ 1 request per event on the receiving page', screen ? screen.requests_per_event <= 1 : null, screen ? `${screen.requests_per_event}` : '-', 'requests'),
  check('a handful of renders per event (≤ 8) on the receiving page', screen?.renders_per_event != null ? screen.renders_per_event <= 8 : null, screen?.renders_per_event != null ? `${screen.renders_per_event}` : '-', 'renders'),
  check('agenda: topic added or reordered to the other screen p95 < 50 ms', topics ? topics.p95_ms < 50 : null, topics ? `${topics.p95_ms} ms (add ${topics.add.p95_ms}, reorder ${topics.reorder.p95_ms}) over ${topics.changes} changes` : '-', 'topics'),
  check('agenda: 0 requests for topics per topic event on the receiving page', topics ? topics.topic_requests_per_event === 0 : null, topics ? `${topics.topic_requests_per_event}` : '-', 'topicRequests'),
  check('live notes: keystroke to the other screen p95 ≤ 100 ms', keystrokes ? keystrokes.p95_ms <= 100 : null, keystrokes ? `${keystrokes.p95_ms} ms over ${keystrokes.bursts} bursts` : '-', 'keystrokes'),
  check('live notes: caret move to the other screen p95 ≤ 150 ms', keystrokes?.caret_p95_ms != null ? keystrokes.caret_p95_ms <= 150 : null, keystrokes?.caret_p95_ms != null ? `${keystrokes.caret_p95_ms} ms over ${keystrokes.caret_moves} moves` : '-', 'keystrokes'),
  check('fan-out p95 ≤ 10 ms at 1,000 streams (from the write sent)', step(1000) ? step(1000).p95_ms <= 10 : null, step(1000) ? `${step(1000).p95_ms.toFixed(2)} ms` : '-', 'fanout'),
  check('fan-out p95 ≤ 50 ms at 10,000 streams', step(10000) ? step(10000).p95_ms <= 50 : null, step(10000) ? `${step(10000).p95_ms.toFixed(2)} ms` : '-', 'fanout'),
  check('fan-out at 19,000 streams, 0 lost', step(19000) ? step(19000).lost === 0 : null, step(19000) ? `p95 ${step(19000).p95_ms.toFixed(2)} ms, lost ${step(19000).lost}` : '-', 'fanout'),
  check('cluster fan-out p95 ≤ 25 ms at 1,000 streams on 2 instances', cluster ? cluster.p95_ms <= 25 && cluster.lost === 0 : null, cluster ? `${cluster.p95_ms.toFixed(2)} ms, lost ${cluster.lost}` : '-', 'cluster'),
  check('≤ 8 KiB server memory per idle stream (at the largest step)', report.fanout.length ? report.fanout.at(-1).rss_kib_per_idle_conn <= 8 : null, report.fanout.length ? `${report.fanout.at(-1).rss_kib_per_idle_conn.toFixed(2)} KiB` : '-', 'memory'),
  check('0 events lost', report.fanout.every((s) => s.lost === 0) && (report.catchup?.lost ?? 0) === 0 && (cluster?.lost ?? 0) === 0, `${report.fanout.reduce((a, s) => a + s.lost, 0) + (report.catchup?.lost ?? 0) + (cluster?.lost ?? 0)}`, 'lost'),
  // Issue 21 added deep notes updates, one account's sign-ins and streams, and unfinished
  // heads to the attack: the server must still be up after it.
  check('under attack: ordinary p95 within 3x of quiet, 0 errors, server up', report.under_attack && !report.under_attack.error ? report.under_attack.ratio <= 3 && report.under_attack.errors === 0 && report.under_attack.server_up_after !== false : null, report.under_attack && !report.under_attack.error ? `${report.under_attack.ratio.toFixed(2)}x, ${report.under_attack.errors} errors, server ${report.under_attack.server_up_after === false ? 'DOWN' : 'up'}` : '-', 'attack'),
  // Issue 23: a request that queues a mail is as fast as one that sends none, whatever
  // the mail server does (here it is stalled): within 1.5x at p95, plus 1 ms of noise.
  // Issue 27: a rolling restart under 1,000 streams loses nothing and every stream is back
  // within 2 s of its instance stopping; keeping metrics costs fan-out at most 5 %.
  check('rolling restart under 1,000 streams: 0 lost, 0 duplicated, 0 failed writes', report.rolling_restart && !report.rolling_restart.error && !report.rolling_restart.skipped ? report.rolling_restart.lost === 0 && report.rolling_restart.duplicated === 0 && report.rolling_restart.failed_writes === 0 : null, report.rolling_restart && !report.rolling_restart.error && !report.rolling_restart.skipped ? `${report.rolling_restart.lost} lost, ${report.rolling_restart.duplicated} duplicated, ${report.rolling_restart.failed_writes} failed of ${report.rolling_restart.writes}` : report.rolling_restart?.error ?? '-', 'rolling'),
  check('rolling restart: every stream back within 2 s of its instance stopping', report.rolling_restart && !report.rolling_restart.error && !report.rolling_restart.skipped ? report.rolling_restart.all_back_ms <= 2000 : null, report.rolling_restart && !report.rolling_restart.error && !report.rolling_restart.skipped ? `${report.rolling_restart.all_back_ms.toFixed(0)} ms (p95 ${report.rolling_restart.back_p95_ms.toFixed(0)} ms); writes p95 ${report.rolling_restart.write_p95_ms.toFixed(1)} ms during it` : '-', 'rolling'),
  check('metrics cost fan-out ≤ 5 % (p95 at 1,000 streams)', report.metrics_cost && !report.metrics_cost.error ? report.metrics_cost.change_percent <= 5 : null, report.metrics_cost && !report.metrics_cost.error ? `${report.metrics_cost.p95_without_ms.toFixed(2)} → ${report.metrics_cost.p95_with_ms.toFixed(2)} ms (${report.metrics_cost.change_percent.toFixed(1)} %)` : report.metrics_cost?.error ?? '-', 'metrics'),
  check('1,000 reminders due at once all out within 60 s', report.notifications && !report.notifications.error ? report.notifications.reminders.received === report.notifications.reminders.due_at_once && report.notifications.reminders.all_out_s <= 60 : null, report.notifications && !report.notifications.error ? `${report.notifications.reminders.received} in ${report.notifications.reminders.all_out_s.toFixed(1)} s` : report.notifications?.error ?? '-', 'reminders'),
  check('a request queuing a mail (SMTP stalled) as fast as one sending none', report.mail_queue && !report.mail_queue.error ? report.mail_queue.queues_mail_p95_ms <= report.mail_queue.sends_none_p95_ms * 1.5 + 1 : null, report.mail_queue && !report.mail_queue.error ? `p95 ${report.mail_queue.queues_mail_p95_ms.toFixed(2)} ms vs ${report.mail_queue.sends_none_p95_ms.toFixed(2)} ms` : report.mail_queue?.error ?? '-', 'mail'),
  // Issue 6 set 250 KB; issue 12 320 KB for the whole app (its merge engine included); the
  // wave of onboarding, agenda, rich notes and notifications allows 340 KB for what every
  // page loads (parts only some pages use load on demand). Each of the three apps is what
  // its pages load, so each is held to it. The notes engine, which the session app loads
  // on demand when notes open, has issue 25's own budget for the editor with Yjs.
  check('wasm + JS + CSS of the main app (sign-in, dashboard, actions) ≤ 340 KB brotli', sizes.total.br <= 340_000, kb(sizes.total.br), 'bundle'),
  check('wasm + JS + CSS of the session app (the session page) ≤ 340 KB brotli', sizes.session ? sizes.session.total.br <= 340_000 : null, sizes.session ? kb(sizes.session.total.br) : 'not built', 'bundle'),
  check('the notes editor with Yjs, loaded on demand by the session page, ≤ 90 KB brotli', engine ? engine.br <= 90_000 : null, engine ? kb(engine.br) : 'not built', 'bundle'),
  check('wasm + JS + CSS of the accounts app (the account pages) ≤ 340 KB brotli', sizes.accounts ? sizes.accounts.total.br <= 340_000 : null, sizes.accounts ? kb(sizes.accounts.total.br) : 'not built', 'bundle'),
  check('dashboard visible < 300 ms cold', start ? start.cold_ms < 300 : null, start ? `${start.cold_ms} ms` : '-', 'cold'),
  check('dashboard visible < 300 ms cold for a coach with a year of weekly sessions in 20 relationships', busy ? busy.cold_ms < 300 : null, busy ? `${busy.cold_ms} ms (warm ${busy.warm_ms} ms; ${busy.relationships} relationships, ${busy.sessions} sessions)` : '-', 'busy'),
  check('dashboard visible < 150 ms warm', start ? start.warm_ms < 150 : null, start ? `${start.warm_ms} ms` : '-', 'warm'),
  check('every tab of 20 visible < 300 ms (the cold-start target)', tabs ? Object.values(tabs.visible_ms).every((v) => v !== null && v < 300) : null, tabs ? Object.entries(tabs.visible_ms).map(([k, v]) => `${k.replace('tab_', 'tab ')}: ${v === null ? 'never' : `${v} ms`}`).join(', ') : '-', 'tabs'),
  check('1 event stream for a browser with 20 tabs', tabs ? tabs.streams_open === 1 && tabs.streams_opened === 1 : null, tabs ? `${tabs.streams_open} open (${tabs.streams_opened} opened)` : '-', 'streams'),
];

// A small line chart: x = connections (log scale), y = value.
function chart(title, unit, points) {
  const w = 480, h = 260, left = 60, bottom = 40, top = 30, right = 20;
  if (points.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><text x="20" y="30">${title}: no data</text></svg>`;
  const xs = points.map((p) => Math.log10(p[0]));
  const minX = Math.min(...xs), maxX = Math.max(...xs, minX + 1);
  const maxY = Math.max(...points.map((p) => p[1]), 1e-9) * 1.15;
  const px = (x) => left + ((Math.log10(x) - minX) / (maxX - minX)) * (w - left - right);
  const py = (y) => h - bottom - (y / maxY) * (h - bottom - top);
  const line = points.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ');
  const dots = points.map((p) => `<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3.5" fill="#2f6f62"/><text x="${px(p[0]).toFixed(1)}" y="${(py(p[1]) - 8).toFixed(1)}" font-size="11" text-anchor="middle">${p[1].toFixed(2)}</text>`).join('');
  const ticks = points.map((p) => `<text x="${px(p[0]).toFixed(1)}" y="${h - bottom + 16}" font-size="11" text-anchor="middle">${p[0]}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<text x="${w / 2}" y="18" font-size="14" text-anchor="middle">${title}</text>
<line x1="${left}" y1="${h - bottom}" x2="${w - right}" y2="${h - bottom}" stroke="#888"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${h - bottom}" stroke="#888"/>
<text x="${w / 2}" y="${h - 6}" font-size="11" text-anchor="middle">connections (log scale)</text>
<text x="14" y="${(h - bottom + top) / 2}" font-size="11" transform="rotate(-90 14 ${(h - bottom + top) / 2})" text-anchor="middle">${unit}</text>
<polyline points="${line}" fill="none" stroke="#2f6f62" stroke-width="2"/>${dots}${ticks}
</svg>`;
}
writeFileSync(`${dir}/fanout-p95.svg`, chart('Fan-out latency p95 against connections', 'ms', report.fanout.map((s) => [s.connections, s.p95_ms])));
writeFileSync(`${dir}/memory-per-connection.svg`, chart('Server memory per idle connection', 'KiB', report.fanout.map((s) => [s.connections, s.rss_kib_per_idle_conn])));

const md = `# Tandem benchmark report

Machine: ${machine.cores} cores, ${machine.memory_gib} GiB (${machine.cpu}). Commit ${commit}. Date ${report.date}.
Reproduce with \`make bench\`; everything runs on 127.0.0.1 against release builds.

## Targets

| target | measured | |
|---|---:|---|
${targets.join('\n')}
${missed.length ? `\nWhat holds the missed targets back:\n${missed.join('\n')}\n` : '\nEvery target is met.\n'}
## Fan-out of the event stream

| connections | p50 ms | p95 ms | p99 ms | max ms | lost | KiB per idle connection | µs CPU per event |
|---:|---:|---:|---:|---:|---:|---:|---:|
${report.fanout.map((s) => `| ${s.connections} | ${s.p50_ms.toFixed(2)} | ${s.p95_ms.toFixed(2)} | ${s.p99_ms.toFixed(2)} | ${s.max_ms.toFixed(2)} | ${s.lost} | ${s.rss_kib_per_idle_conn.toFixed(2)} | ${s.cpu_us_per_event.toFixed(1)} |`).join('\n')}
${report.fanout_stopped ? `\nStopped: ${report.fanout_stopped}.\n` : ''}
![p95](fanout-p95.svg) ![memory](memory-per-connection.svg)

## Cluster

${!report.cluster ? 'Not measured.' : report.cluster.error ? `Failed: ${report.cluster.error}` : report.cluster.skipped ? `Skipped: ${report.cluster.skipped}.` : `${report.cluster.instances} instances on one PostgreSQL, ${report.cluster.connections} streams over both, writes through one, timed from the write sent: p50 ${report.cluster.p50_ms.toFixed(2)} ms, p95 ${report.cluster.p95_ms.toFixed(2)} ms, p99 ${report.cluster.p99_ms.toFixed(2)} ms, max ${report.cluster.max_ms.toFixed(2)} ms; lost ${report.cluster.lost}.`}

## Side by side with a peer

${!report.peer || report.peer.skipped ? 'No peer given (`make bench PEER=http://host:port PEER_COACH=… PEER_COACHEE=… PEER_PASSWORD=… PEER_SESSION=…`).' : report.peer.error ? `Failed: ${report.peer.error}` : `| server | streams | writes | p50 ms | p95 ms | max ms | lost |\n|---|---:|---:|---:|---:|---:|---:|\n${[['peer ' + report.peer.peer.base, report.peer.peer.result], ['Tandem', report.peer.tandem]].map(([name, r]) => `| ${name} | ${r.streams} | ${r.writes - r.writes_refused} | ${r.p50_ms.toFixed(2)} | ${r.p95_ms.toFixed(2)} | ${r.max_ms.toFixed(2)} | ${r.lost} |`).join('\n')}`}

## Catch-up

${report.catchup?.error ? `Failed: ${report.catchup.error}` : `${report.catchup?.clients} clients away during ${report.catchup?.writes} writes, back with Last-Event-ID, ${report.catchup?.rounds ?? 1} rounds: all held every missed event after ${report.catchup?.all_caught_up_ms?.toFixed(1)} ms (median; p95 ${report.catchup?.p95_ms?.toFixed(1)} ms, max ${report.catchup?.max_ms?.toFixed(1)} ms); lost ${report.catchup?.lost}.`}

## Under attack

${!report.under_attack ? 'Not measured.' : report.under_attack.error ? `Failed: ${report.under_attack.error}` : `An ordinary signed-in request (the agreements of a session), ${report.under_attack.samples} times one after another: p50 ${report.under_attack.quiet_p50_ms.toFixed(2)} ms, p95 ${report.under_attack.quiet_p95_ms.toFixed(2)} ms quiet; p50 ${report.under_attack.attack_p50_ms.toFixed(2)} ms, p95 ${report.under_attack.attack_p95_ms.toFixed(2)} ms while ${report.under_attack.failed_logins} failed sign-ins (20 at a time; ${report.under_attack.logins_401} answered 401, ${report.under_attack.logins_429} throttled with 429) and ${report.under_attack.idle_connections} idle connections (${report.under_attack.idle_connections_opened} opened in all, as the server closed them) hit the server: ${report.under_attack.ratio.toFixed(2)}x, ${report.under_attack.errors} errors. Server resident memory under attack: ${report.under_attack.server_rss_mib_under_attack.toFixed(1)} MiB.`}

## Mail queue

${!report.mail_queue ? 'Not measured.' : report.mail_queue.error ? `Failed: ${report.mail_queue.error}` : `Password-reset requests, ${report.mail_queue.samples_each} of each kind one after another, while the server's SMTP server accepted connections and never answered: one for a person (queues a mail) p50 ${report.mail_queue.queues_mail_p50_ms.toFixed(2)} ms, p95 ${report.mail_queue.queues_mail_p95_ms.toFixed(2)} ms; one for an unknown address (sends none) p50 ${report.mail_queue.sends_none_p50_ms.toFixed(2)} ms, p95 ${report.mail_queue.sends_none_p95_ms.toFixed(2)} ms.`}

## Reminders and the calendar feed

${!report.notifications ? 'Not measured.' : report.notifications.error ? `Failed: ${report.notifications.error}` : `${report.notifications.reminders.due_at_once} reminders due at the same moment: all ${report.notifications.reminders.received} reached a real SMTP server (aiosmtpd) ${report.notifications.reminders.all_out_s.toFixed(1)} s after it; a signed-in request meanwhile p50 ${report.notifications.reminders.request_p50_meanwhile_ms.toFixed(2)} ms, p95 ${report.notifications.reminders.request_p95_meanwhile_ms.toFixed(2)} ms (before: p50 ${report.notifications.reminders.request_p50_quiet_ms.toFixed(2)} ms, p95 ${report.notifications.reminders.request_p95_quiet_ms.toFixed(2)} ms). The calendar feed of a person with ${report.notifications.calendar_feed.sessions} sessions (${(report.notifications.calendar_feed.bytes / 1024).toFixed(0)} KiB), fetched ${report.notifications.calendar_feed.fetches} times without a cookie: p50 ${report.notifications.calendar_feed.p50_ms.toFixed(1)} ms, p95 ${report.notifications.calendar_feed.p95_ms.toFixed(1)} ms. A dead feed address answers 404 alike, revoked p50 ${report.notifications.calendar_feed.revoked_404_p50_ms.toFixed(3)} ms, forged p50 ${report.notifications.calendar_feed.forged_404_p50_ms.toFixed(3)} ms.`}

## Event to screen

${screen ? `${screen.changes} changes by the coach (agreement, action, goal, title in turn): median ${screen.p50_ms} ms, p95 ${screen.p95_ms} ms, p99 ${screen.p99_ms} ms, max ${screen.max_ms} ms from click to the coachee's DOM; ${screen.requests_per_event} requests per event on the coachee's page. Median by kind: ${JSON.stringify(screen.median_ms_by_kind)}. Components rendered on the coachee's page per event: ${screen.renders_per_event} on average, median by kind ${JSON.stringify(screen.median_renders_by_kind)}.` : 'Not measured.'}

## Live notes

${keystrokes ? `The coach typed ${keystrokes.bursts} bursts (${keystrokes.typed_chars} characters, ${keystrokes.key_delay_ms} ms between keystrokes, without pausing) into the session notes; from the keystroke that completed each burst to the first frame of the coachee's page showing it: median ${keystrokes.p50_ms} ms, p95 ${keystrokes.p95_ms} ms, p99 ${keystrokes.p99_ms} ms, max ${keystrokes.max_ms} ms. On the wire per typed character (JSON bodies, not HTTP framing): ${keystrokes.sent_bytes_per_char} bytes sent by the writer, ${keystrokes.received_bytes_per_char} bytes of events received by the other page.${keystrokes.caret_p95_ms != null ? ` Then the coach moved the caret ${keystrokes.caret_moves} characters along a line, one arrow key every ${keystrokes.caret_move_delay_ms} ms; from each keydown to the first frame of the coachee's page drawing the caret there: median ${keystrokes.caret_p50_ms} ms, p95 ${keystrokes.caret_p95_ms} ms, max ${keystrokes.caret_max_ms} ms; ${keystrokes.caret_sent_bytes_per_move} bytes sent and ${keystrokes.caret_received_bytes_per_move} bytes of events received per move.` : ''}` : 'Not measured.'}

## Web app weight and start

Main app (sign-in, dashboard, actions): wasm ${(sizes.wasm.raw / 1000).toFixed(1)} KB raw / ${(sizes.wasm.br / 1000).toFixed(1)} KB brotli; JS ${(sizes.js.raw / 1000).toFixed(1)} / ${(sizes.js.br / 1000).toFixed(1)} KB; CSS ${(sizes.css.raw / 1000).toFixed(1)} / ${(sizes.css.br / 1000).toFixed(1)} KB; total ${(sizes.total.br / 1000).toFixed(1)} KB brotli.
${sizes.session ? `Session app (the coaching session page; only it loads it): wasm ${(sizes.session.wasm.raw / 1000).toFixed(1)} KB raw / ${(sizes.session.wasm.br / 1000).toFixed(1)} KB brotli; JS ${(sizes.session.js.raw / 1000).toFixed(1)} / ${(sizes.session.js.br / 1000).toFixed(1)} KB; CSS ${(sizes.session.css.raw / 1000).toFixed(1)} / ${(sizes.session.css.br / 1000).toFixed(1)} KB; total ${(sizes.session.total.br / 1000).toFixed(1)} KB brotli.` : 'Session app: not built.'}
${sizes.accounts ? `Accounts app (setup, password reset, settings, members, organizations; only those pages load it): wasm ${(sizes.accounts.wasm.raw / 1000).toFixed(1)} KB raw / ${(sizes.accounts.wasm.br / 1000).toFixed(1)} KB brotli; JS ${(sizes.accounts.js.raw / 1000).toFixed(1)} / ${(sizes.accounts.js.br / 1000).toFixed(1)} KB; CSS ${(sizes.accounts.css.raw / 1000).toFixed(1)} / ${(sizes.accounts.css.br / 1000).toFixed(1)} KB; total ${(sizes.accounts.total.br / 1000).toFixed(1)} KB brotli.` : 'Accounts app: not built.'}
${start ? `Dashboard sessions visible after navigation, over ${start.runs} runs: cold (new browser context) median ${start.cold_ms} ms, p95 ${start.cold?.p95_ms} ms, max ${start.cold?.max_ms} ms; warm (the same context back after its page rested) median ${start.warm_ms} ms, p95 ${start.warm?.p95_ms} ms, max ${start.warm?.max_ms} ms.` : ''}
`;
writeFileSync(`${dir}/report.md`, md);
console.log(`bench: report in ${dir}/report.md`);
for (const t of targets) console.log('  ' + t.replace(/\|/g, ' ').replace(/\s+/g, ' ').trim());
