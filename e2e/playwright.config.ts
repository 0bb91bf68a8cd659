import { defineConfig } from '@playwright/test';
import { DEMO_PASSWORD } from './fixtures';

// `make test` picks a free port; each run gets its own server and a fresh database there.
const port = Number(process.env.E2E_PORT ?? '18123');
const runDir = `.run/${port}`;

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
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
    },
  },
  webServer: {
    command:
      `rm -rf ${runDir} && mkdir -p ${runDir} && ` +
      `../target/release/tandem-server --port ${port} --database-url sqlite://${runDir}/tandem.db ` +
      `--static-dir ../dist --demo true --demo-password ${DEMO_PASSWORD} --log-level warn`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
