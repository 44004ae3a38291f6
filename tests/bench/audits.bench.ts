/**
 * Audits (issue 5): Lighthouse 12 (performance, accessibility, best practices; its default mobile
 * emulation and simulated slow 4G and 4× CPU) and axe-core on the main screens, in Debian's
 * Chromium against the production build and the 10,000-household demo, signed in as a grid
 * worker (the coordinator for the coordinator's screens). Lighthouse keeps the browser's storage
 * (`disableStorageReset`), or it would sign the user out.
 *
 * Run: npm run bench:audits   (needs `npm run build`; installs the tools on first use)
 */
import type { Page } from 'playwright-core';
import { startServerProcess, tempDir, type ServerProcess } from '../sync/support/server-process';
import { importTool } from './support/bench-tools';
import { chromiumVersion, launchBrowser } from './support/browser';
import { freePort } from './support/free-port';
import { machine, table, writeResult } from './support/report';

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 10_000);
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;

interface Screen {
	name: string;
	path: string;
	user: 'worker1' | 'coordinator' | null;
	/** Lighthouse takes ~20 s a screen: only the field worker's path gets it. */
	lighthouse: boolean;
	/** What shows the screen is ready. */
	ready: (page: Page) => Promise<unknown>;
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).first().waitFor();
const SCREENS: Screen[] = [
	{ name: 'login', path: '/login', user: null, lighthouse: true, ready: (page) => page.getByLabel('用户名').waitFor() },
	{ name: 'home', path: '/', user: 'worker1', lighthouse: true, ready: (page) => page.locator('.grid-card').first().waitFor() },
	{ name: 'building (door grid)', path: '/building/cp1-b1', user: 'worker1', lighthouse: true, ready: (page) => page.locator('button[data-door]').first().waitFor() },
	{ name: 'door (household file)', path: '/door/cp1-b1-1-101', user: 'worker1', lighthouse: true, ready: heading },
	{ name: 'search', path: '/search', user: 'worker1', lighthouse: true, ready: heading },
	{ name: 'needs', path: '/needs', user: 'worker1', lighthouse: false, ready: heading },
	{ name: 'device', path: '/device', user: 'worker1', lighthouse: false, ready: heading },
	{ name: 'import', path: '/import', user: 'coordinator', lighthouse: false, ready: heading },
	{ name: 'assignments', path: '/assignments', user: 'coordinator', lighthouse: false, ready: heading }
];

type Lighthouse = (url: string, flags: object) => Promise<{ lhr: LighthouseResult } | undefined>;
interface LighthouseResult {
	finalDisplayedUrl: string;
	runtimeError?: { code: string };
	categories: Record<string, { score: number | null }>;
	audits: Record<string, { numericValue?: number }>;
}
type AxeBuilderClass = new (options: { page: Page }) => { analyze(): Promise<{ violations: { id: string; impact?: string | null; nodes: unknown[] }[] }> };

async function signedInBrowser(server: ServerProcess, user: Screen['user'], port: number) {
	const profile = tempDir('gridwalk-audit-');
	const context = await launchBrowser(profile.path, { args: [`--remote-debugging-port=${port}`] });
	const page = context.pages()[0] ?? (await context.newPage());
	await page.goto(`${server.url}/login`);
	if (user) {
		await page.getByLabel('用户名').fill(user);
		await page.getByLabel('密码').fill('gridwalk');
		await page.getByRole('button', { name: '登录' }).click();
		await page.locator('.grid-card').first().waitFor({ timeout: 120_000 });
		// The first sync and the service worker's precache, done before anything is measured.
		await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 60_000 });
		await page.waitForTimeout(5_000);
	}
	return {
		page,
		close: async () => {
			await context.close();
			profile.remove();
		}
	};
}

async function main() {
	const lighthouse = (await importTool<{ default: Lighthouse }>('lighthouse')).default;
	const { AxeBuilder } = await importTool<{ AxeBuilder: AxeBuilderClass }>('@axe-core/playwright');
	const server = await startServerProcess({ env: { DEMO_HOUSEHOLDS: String(HOUSEHOLDS) }, timeoutMs: 300_000 });
	const rows: {
		screen: string;
		lighthouse?: Record<(typeof CATEGORIES)[number], number | null> & { fcpMs?: number; lcpMs?: number; tbtMs?: number; cls?: number };
		axe: { violations: number; critical: number; serious: number; rules: string[] };
	}[] = [];
	try {
		for (const user of [null, 'worker1', 'coordinator'] as const) {
			const port = await freePort();
			const browser = await signedInBrowser(server, user, port);
			try {
				for (const screen of SCREENS.filter((s) => s.user === user)) {
					await browser.page.goto(`${server.url}${screen.path}`);
					await screen.ready(browser.page);
					const axe = await new AxeBuilder({ page: browser.page }).analyze();
					const count = (impact: string) => axe.violations.filter((v) => v.impact === impact).length;
					const row: (typeof rows)[number] = {
						screen: screen.name,
						axe: { violations: axe.violations.length, critical: count('critical'), serious: count('serious'), rules: axe.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`) }
					};
					if (screen.lighthouse) {
						// Lighthouse now and then fails to trace a run (no score): such a run is repeated, twice at most.
						let lhr: LighthouseResult | undefined;
						for (let attempt = 1; attempt <= 3 && (!lhr || lhr.categories.performance?.score === null); attempt++) {
							if (lhr) console.log(`${screen.name}: Lighthouse gave no performance score (${lhr.runtimeError?.code ?? 'no error code'}); again`);
							const run = await lighthouse(`${server.url}${screen.path}`, {
								port,
								output: 'json',
								logLevel: 'error',
								onlyCategories: [...CATEGORIES],
								disableStorageReset: true
							});
							lhr = run!.lhr;
						}
						if (!lhr) throw new Error('Lighthouse did not run');
						// A screen that redirected (to the login, say) was not the one audited.
						if (new URL(lhr.finalDisplayedUrl).pathname !== screen.path) throw new Error(`Lighthouse audited ${lhr.finalDisplayedUrl}, not ${screen.path}`);
						const score = (id: string) => (lhr!.categories[id]?.score === null ? null : Math.round((lhr!.categories[id]?.score ?? 0) * 100));
						const metric = (id: string) => lhr!.audits[id]?.numericValue;
						row.lighthouse = {
							performance: score('performance'),
							accessibility: score('accessibility'),
							'best-practices': score('best-practices'),
							fcpMs: Math.round(metric('first-contentful-paint') ?? 0),
							lcpMs: Math.round(metric('largest-contentful-paint') ?? 0),
							tbtMs: Math.round(metric('total-blocking-time') ?? 0),
							cls: Math.round((metric('cumulative-layout-shift') ?? 0) * 1000) / 1000
						};
					}
					rows.push(row);
					console.log(`${screen.name}: ${row.lighthouse ? `Lighthouse ${CATEGORIES.map((c) => row.lighthouse![c]).join('/')}, ` : ''}axe ${row.axe.violations} violations ${row.axe.rules.join(', ')}`);
				}
			} finally {
				await browser.close();
			}
		}
	} finally {
		await server.stop();
	}

	const result = {
		benchmark: 'audits: Lighthouse and axe-core on the main screens',
		date: new Date().toISOString(),
		fixture: { households: HOUSEHOLDS },
		machine: { ...machine(), chromium: chromiumVersion() },
		method: "Lighthouse 12.2.3 defaults (mobile, simulated throttling) with storage kept, one run per screen (repeated when it gave no performance score); axe-core 4.11 with its default rules, after the screen's content showed.",
		screens: rows
	};
	const dash = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));
	console.log(`\nAudits: ${result.machine.chromium}; load ${result.machine.loadAverage1m}`);
	console.log(
		table(
			['screen', 'performance', 'accessibility', 'best practices', 'FCP ms', 'LCP ms', 'TBT ms', 'CLS', 'axe violations (critical/serious)'],
			rows.map((r) => [
				r.screen,
				dash(r.lighthouse?.performance),
				dash(r.lighthouse?.accessibility),
				dash(r.lighthouse?.['best-practices']),
				dash(r.lighthouse?.fcpMs),
				dash(r.lighthouse?.lcpMs),
				dash(r.lighthouse?.tbtMs),
				dash(r.lighthouse?.cls),
				`${r.axe.violations} (${r.axe.critical}/${r.axe.serious})`
			])
		)
	);
	console.log(`written to ${writeResult('audits', result)}`);
}

await main();
