import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/e2e/chromium';

/**
 * End-to-end tests in Debian's Chromium (Playwright cannot download browsers here), against the
 * real server process serving the production build, with a small demo community in a fresh
 * data directory.
 */
const PORT = Number(process.env.E2E_PORT ?? 8181);
const DATA_DIR = process.env.E2E_DATA_DIR ?? `/tmp/gridwalk-e2e-${process.pid}`;

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: [['list']],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		viewport: { width: 390, height: 844 },
		locale: 'zh-CN',
		launchOptions: {
			executablePath: CHROMIUM_PATH,
			args: CHROMIUM_ARGS
		}
	},
	webServer: {
		command: `rm -rf ${DATA_DIR} && node --import tsx server/main.ts`,
		url: `http://127.0.0.1:${PORT}/healthz`,
		env: { PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR, DEMO_HOUSEHOLDS: '1000' },
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: 'pipe'
	}
});
