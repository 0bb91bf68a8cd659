import base from './playwright.config';
import { defineConfig } from '@playwright/test';

// The benchmarks: same server and browser set-up as the suite, other test folder.
export default defineConfig({ ...base, testDir: './bench', timeout: 600_000 });
