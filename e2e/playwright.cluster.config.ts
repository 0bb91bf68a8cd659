import { defineConfig } from '@playwright/test';
import { DEMO_PASSWORD } from './fixtures';
import { launchOptions } from './suite';

/**
 * The cluster journeys: PostgreSQL, two Tandem instances and nginx with TLS and HTTP/2, as
 * `make cluster` starts them (scripts/cluster.sh), on a fresh database and ports from
 * E2E_PORT (nginx), E2E_PORT+1 and +2 (the instances) and E2E_PORT+3 (PostgreSQL).
 */
const port = Number(process.env.E2E_PORT ?? '18123');

export default defineConfig({
  testDir: './cluster',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    baseURL: `https://127.0.0.1:${port}`,
    // The cluster's certificate is self-signed.
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    launchOptions,
  },
  webServer: {
    command: '../scripts/cluster.sh',
    env: {
      CLUSTER_NAME: 'e2e-cluster',
      CLUSTER_FRESH: '1',
      CLUSTER_PORT: String(port),
      CLUSTER_FIRST_INSTANCE: String(port + 1),
      CLUSTER_POSTGRES: String(port + 3),
      TANDEM_DEMO_PASSWORD: DEMO_PASSWORD,
      // The specs sign the same demo people in more often in a minute than any person would.
      TANDEM_SIGN_INS_PER_ACCOUNT: '1000',
    },
    url: `https://127.0.0.1:${port}/api/health`,
    ignoreHTTPSErrors: true,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});
