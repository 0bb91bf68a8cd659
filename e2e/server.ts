import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { DEMO_PASSWORD } from './fixtures';

/** A Tandem server of a test's own, which the test may stop and start again. */
export class OwnServer {
  private process?: ChildProcess;
  readonly base: string;
  private readonly dir: string;

  /** `demo: false` starts on an empty database, as an organization going live does. */
  constructor(
    readonly port: number,
    private readonly extraArgs: string[] = [],
    private readonly options: { demo: boolean } = { demo: true },
  ) {
    this.base = `http://127.0.0.1:${port}`;
    this.dir = `.run/own-${port}`;
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** Starts the server (same database every time) and waits until it answers. */
  async start() {
    this.process = spawn(
      '../target/release/tandem-server',
      ['--port', String(this.port), '--database-url', this.databaseUrl, '--static-dir', '../dist',
        '--public-url', this.base, '--mail-dir', `${this.dir}/outbox`,
        '--demo', String(this.options.demo), '--demo-password', DEMO_PASSWORD, '--log-level', 'warn',
        // A spec signs the same demo people in more often in a minute than any person would.
        '--sign-ins-per-account', '1000', ...this.extraArgs],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${this.base}/api/health`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the server did not start');
  }

  /** The database it runs on. */
  get databaseUrl(): string {
    return `sqlite://${this.dir}/tandem.db`;
  }

  /** Runs `tandem-server ARGS…` on this server's database (an administration command). */
  async admin(...args: string[]): Promise<string> {
    const child = spawn(
      '../target/release/tandem-server',
      ['admin', ...args, '--database-url', this.databaseUrl, '--public-url', this.base],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout?.on('data', (chunk) => (out += chunk));
    child.stderr?.on('data', (chunk) => (out += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`tandem-server admin ${args.join(' ')} exited ${code}: ${out}`);
    return out;
  }

  /** Freezes the server: connections stay open but no byte flows (a dead network path). */
  pause() {
    this.process?.kill('SIGSTOP');
  }

  /** Lets a frozen server run again. */
  resume() {
    this.process?.kill('SIGCONT');
  }

  /** Stops the server and waits for it to exit. */
  async stop() {
    const process = this.process;
    if (!process || process.exitCode !== null) return;
    process.kill('SIGCONT');
    const exited = new Promise((resolve) => process.once('exit', resolve));
    process.kill('SIGTERM');
    await exited;
  }
}

/** A port nothing listens on now, chosen by the system. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
