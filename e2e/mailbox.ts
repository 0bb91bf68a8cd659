import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './server';

/** One received mail: its headers and its decoded plain-text part. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Undoes quoted-printable: soft line breaks and `=XX` bytes (UTF-8). */
function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Reads a multipart/alternative mail as the server writes them (text part first). */
export function parseMail(raw: string): Mail {
  const [head] = raw.split(/\r?\n\r?\n/, 1);
  const header = (name: string) =>
    head.split(/\r?\n(?![ \t])/).find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
  const plain = raw.split(/Content-Type: text\/plain[^\n]*\n/i)[1] ?? '';
  const [partHead, ...rest] = plain.split(/\r?\n\r?\n/);
  let text = rest.join('\n\n').split(/\r?\n--/)[0];
  if (/quoted-printable/i.test(partHead)) text = decodeQuotedPrintable(text);
  else if (/base64/i.test(partHead)) text = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { to: header('to'), subject: header('subject'), text };
}

/** The first link to the web app's `page` (`setup`, `reset-password`) in a mail. */
export function linkIn(mail: Mail, page: string): string {
  const link = mail.text.split(/\s+/).find((word) => word.startsWith('http') && word.includes(`/${page}/`));
  if (!link) throw new Error(`no /${page}/ link in the mail to ${mail.to}: ${mail.text}`);
  return link;
}

/** A real SMTP server (aiosmtpd from PyPI, installed by `scripts/setup.sh test`). */
export class SmtpSink {
  private process?: ChildProcess;
  port = 0;
  private readonly maildir = `.run/maildir-${process.pid}-${Date.now()}`;

  async start() {
    this.port = await freePort();
    rmSync(this.maildir, { recursive: true, force: true });
    mkdirSync('.run', { recursive: true });
    const python = '../.tools/venv/bin/python';
    if (!existsSync(python)) throw new Error('no aiosmtpd: run scripts/setup.sh test (make test does)');
    this.process = spawn(
      python,
      ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${this.port}`, '-c', 'aiosmtpd.handlers.Mailbox', this.maildir],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 400; i++) {
      if (await accepts(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the SMTP server did not start');
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Every mail received so far. */
  received(): Mail[] {
    const folder = join(this.maildir, 'new');
    if (!existsSync(folder)) return [];
    return readdirSync(folder).map((file) => parseMail(readFileSync(join(folder, file), 'utf8')));
  }

  /** Waits until a mail to `email` (whose subject matches, when given) has arrived. */
  async waitFor(email: string, subject?: RegExp, timeoutMs = 15_000): Promise<Mail> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.received().find((mail) => mail.to.includes(email) && (!subject || subject.test(mail.subject)));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no mail to ${email} within ${timeoutMs} ms`);
  }

  stop() {
    this.process?.kill();
    rmSync(this.maildir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
