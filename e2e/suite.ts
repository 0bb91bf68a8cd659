import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { DEMO_PASSWORD } from './fixtures';

/** Debian's Chromium, without the background traffic this machine's closed network refuses. */
export const launchOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

/**
 * The Playwright set-up of a folder of specs: every spec file is a project of its own with
 * its own server and a fresh database, so a spec sees only the demo data and what it did
 * itself, passes alone and in any order, and a failure in one cannot break another.
 * Ports are consecutive from E2E_PORT (`make test` picks a free block with
 * scripts/free-ports.py). The port must come from outside: Playwright evaluates this file
 * in every worker too, and all must agree.
 */
export function suite(testDir: string, timeout: number) {
  const firstPort = Number(process.env.E2E_PORT ?? '18123');
  const specs = readdirSync(join(__dirname, testDir))
    .filter((file) => file.endsWith('.spec.ts'))
    .sort();
  const port = (index: number) => firstPort + index;
  return defineConfig({
    testDir,
    fullyParallel: false,
    workers: 1,
    retries: 0,
    forbidOnly: !!process.env.CI,
    timeout,
    expect: { timeout: 5_000 },
    reporter: [['list']],
    use: {
      trace: 'retain-on-failure',
      launchOptions,
    },
    projects: specs.map((file, index) => ({
      name: file.replace(/\.spec\.ts$/, ''),
      testMatch: file,
      use: { baseURL: `http://127.0.0.1:${port(index)}` },
    })),
    webServer: specs.map((_, index) => {
      const runDir = `.run/${port(index)}`;
      return {
        command:
          `rm -rf ${runDir} && mkdir -p ${runDir} && ` +
          `../target/release/tandem-server --port ${port(index)} --database-url sqlite://${runDir}/tandem.db ` +
          `--static-dir ../dist --demo true --demo-password ${DEMO_PASSWORD} --log-level warn ` +
          // Mail (invites, assigned actions) into the run's folder, not the checkout.
          `--mail-dir ${runDir}/outbox --public-url http://127.0.0.1:${port(index)} ` +
          // A spec signs the same demo people in more often in a minute than any person would.
          `--sign-ins-per-account 1000`,
        url: `http://127.0.0.1:${port(index)}/api/health`,
        reuseExistingServer: false,
        timeout: 60_000,
        stdout: 'ignore' as const,
        stderr: 'pipe' as const,
      };
    }),
  });
}
