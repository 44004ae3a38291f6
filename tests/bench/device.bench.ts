/**
 * Device benchmark (DESIGN.md §5), in Debian's Chromium against the production build:
 * - JS the app loads, gzipped: at start (the login page, then the home screen) and per route
 *   (what navigating to it adds); target ≤ 200 KB at start.
 * - Offline cold start to usable, with the service worker and the data already on the device:
 *   navigation until the home screen lists every grid with its doors; 4× CPU slowdown (CDP)
 *   next to no slowdown; target ≤ 1 s at 4×. Also until every document is read (the app's
 *   `gridwalk:documents-loaded` mark): the registers are read after the home screen shows.
 *   Driven through a bare DevTools socket, as no user's phone has DevTools attached (see
 *   support/bare-chromium.ts); the coordinator's start at 4× also through Playwright, to compare.
 * - The door grid of the building with the most doors a unit (33 floors × 6 in the 10,000-household
 *   demo), on the coordinator's device: from the tap on the building to the doors on screen drawn
 *   (target ≤ 100 ms), and to every door drawn (the floors off screen get theirs a frame later).
 * - Resident search on the coordinator's device (every resident of the community): from the tap on
 *   the search link until it can search (the residents read and indexed), and per keystroke, from
 *   the key to the first frame showing results for the query it makes (target ≤ 50 ms), typed at a
 *   person's pace (the next key once the page is idle), the queries of search.bench.ts.
 * - The tab's JS heap after GC with the whole community loaded (coordinator); target ≤ 60 MB.
 *
 * Run: npm run bench:device   (BENCH_RUNS=5, BENCH_HOUSEHOLDS=10000; needs `npm run build`)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { generateCommunity } from '../../server/demo/demo-community';
import { buildingIdsOfGrid, doorsOfGrid, type Grid } from '../../src/lib/domain/places';
import { normalizeQuery } from '../../src/lib/domain/search';
import { startServerProcess, tempDir, type ServerProcess } from '../sync/support/server-process';
import { openBarePage } from './support/bare-chromium';
import { chromiumVersion, heapAfterGc, launchBrowser } from './support/browser';
import { machine, quantile, spread, table, writeResult, type Spread } from './support/report';
import { SEARCH_QUERIES } from './support/search-queries';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 10_000);
const BUILD_DIR = join(import.meta.dirname, '..', '..', 'build');
const KB = 1024;

const launch = (profile: string, offline = false) => launchBrowser(profile, { offline });

/** Gzipped size of a built file, as a server compressing at level 9 would send it. */
const gzippedSize = (path: string) => gzipSync(readFileSync(join(BUILD_DIR, path)), { level: 9 }).length;

/** Records the app's JS files the page fetches, by path. */
function scriptsLoaded(page: Page): Set<string> {
	const seen = new Set<string>();
	page.on('response', (response) => {
		const path = new URL(response.url()).pathname;
		if (path.endsWith('.js') && path.startsWith('/_app/')) seen.add(path);
	});
	return seen;
}

const sizeOf = (paths: Iterable<string>) => [...paths].reduce((n, p) => n + gzippedSize(p), 0) / KB;

async function signIn(page: Page, username: string) {
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill('gridwalk');
	await page.getByRole('button', { name: '登录' }).click();
	await page.getByRole('heading', { level: 1 }).filter({ hasText: '你好' }).waitFor();
}

/**
 * Page code (a string: tsx would wrap a function in a helper the page does not have) resolving,
 * once every condition has held, to the page's time just after the first frame in which each held
 * was drawn: checked before each frame, and read in a task queued then, which runs once that
 * frame's layout and paint are done.
 */
function afterFirstFrames(conditions: Record<string, string>, startedAt: string, timeoutMs = 120_000): string {
	const checks = Object.entries(conditions).map(([name, condition]) => `if (!(${JSON.stringify(name)} in seen) && (${condition})) { seen[${JSON.stringify(name)}] = undefined; setTimeout(() => (seen[${JSON.stringify(name)}] = performance.now() - startedAt)); }`);
	return `new Promise((resolve, reject) => {
		const startedAt = ${startedAt};
		const seen = {};
		const check = () => {
			${checks.join('\n\t\t\t')}
			if (Object.keys(seen).length === ${Object.keys(conditions).length}) setTimeout(() => resolve(seen));
			else if (performance.now() - startedAt > ${timeoutMs}) reject(new Error('the frame never came'));
			else requestAnimationFrame(check);
		};
		requestAnimationFrame(check);
	})`;
}

/** What a user's home screen shows whole: grid cards, the doors they count, building links. */
interface HomeView {
	grids: number;
	doors: number;
	links: number;
}

/**
 * Page code for every document of a context: notes, from the page's first frame on, when a frame
 * showing the whole home screen (`grids` grid cards counting `doors` doors in all) was drawn:
 * `window.homeDrawnAt`, the page's time since navigation start, cleared while another route shows
 * (not when the home redraws as the index syncs); and when a frame with every building link was
 * (`homeLinksAt`: a fresh start draws those below the first screen a frame later).
 */
function homeWatch({ grids, doors, links }: HomeView): string {
	return `(() => {
		const check = () => {
			const bars = [...document.querySelectorAll('.grid-card progress')];
			if (bars.length === ${grids} && bars.reduce((n, bar) => n + bar.max, 0) === ${doors}) {
				window.homeFrameAt ??= performance.now();
				if (window.homeDrawnAt === undefined) setTimeout(() => (window.homeDrawnAt ??= performance.now()));
				if (window.homeLinksAt === undefined && document.querySelectorAll('.buildings a').length === ${links}) setTimeout(() => (window.homeLinksAt ??= performance.now()));
			} else if (location.pathname !== '/') window.homeDrawnAt = window.homeFrameAt = window.homeLinksAt = undefined;
			requestAnimationFrame(check);
		};
		requestAnimationFrame(check);
	})()`;
}

const watchHome = (context: BrowserContext, view: HomeView) => context.addInitScript(homeWatch(view));

/** A page of either driver: Playwright's, or the bare DevTools socket's. */
interface Evaluating {
	evaluate<T>(expression: string): Promise<T>;
}

/** Page code resolving to `expression`'s value once it is defined (read every 50 ms). */
const whenDefined = (expression: string, timeoutMs = 120_000) => `new Promise((resolve, reject) => {
	const until = performance.now() + ${timeoutMs};
	const read = () => {
		const value = ${expression};
		if (value !== undefined) resolve(value);
		else if (performance.now() > until) reject(new Error('never defined: ' + ${JSON.stringify(expression)}));
		else setTimeout(read, 50);
	};
	read();
})`;

/**
 * Waits for the home screen to be drawn whole, or with every building link too (see homeWatch);
 * returns when it first was.
 */
const homeComplete = (page: Evaluating, withEveryLink = false) => page.evaluate<number>(whenDefined(`window.${withEveryLink ? 'homeLinksAt' : 'homeDrawnAt'}`));

/** The page's time (since navigation start) at which every document had been read. */
const documentsLoaded = (page: Evaluating) => page.evaluate<number>(whenDefined(`performance.getEntriesByName('gridwalk:documents-loaded')[0]?.startTime`));

/**
 * Signs in on a fresh profile and waits for its first sync: shown whole, read, and written (each
 * grid's kept progress queues behind the search rows' writes, so they are given 5 s).
 */
async function firstSignIn(page: Page, username: string) {
	await signIn(page, username);
	await homeComplete(page);
	await documentsLoaded(page);
	await page.waitForTimeout(5_000);
}

async function jsSizes(server: ServerProcess, expected: HomeView) {
	const profile = tempDir('gridwalk-bench-js-');
	const context = await launch(profile.path);
	await watchHome(context, expected);
	try {
		// No service worker: it would fetch everything it precaches, which is not what a page needs.
		const page = await context.newPage();
		await context.route('**/sw.js', (route) => route.abort());
		const loaded = scriptsLoaded(page);
		await page.goto(`${server.url}/login`);
		await page.getByLabel('用户名').waitFor();
		await page.waitForLoadState('networkidle');
		const login = new Set(loaded);
		await firstSignIn(page, 'coordinator');
		await page.waitForLoadState('networkidle');
		// A start as on any later day: what the home screen needs, then what the app fetches once it
		// shows (the registers are read, the building page's code is fetched, and search's pinyin when
		// the search rows changed since the last start).
		await page.reload();
		await homeComplete(page);
		// What the home's frame needed was requested before that frame began: what follows (the
		// next route's code, fetched once a link shows, search's pinyin) is background.
		const frameAt = await page.evaluate(() => (window as { homeFrameAt?: number }).homeFrameAt!);
		await documentsLoaded(page);
		await page.waitForLoadState('networkidle');
		const sinceReload = await page.evaluate(() =>
			performance.getEntriesByType('resource').map((r) => ({ path: new URL(r.name).pathname, at: r.startTime }))
		);
		const scripts = sinceReload.filter((r) => r.path.startsWith('/_app/') && r.path.endsWith('.js'));
		const start = new Set(scripts.filter((r) => r.at <= frameAt).map((r) => r.path));
		const afterStart = new Set(scripts.map((r) => r.path));
		const perRoute: { route: string; addedKB: number }[] = [];
		const routes: [string, string][] = [
			['/search', 'search'],
			['/needs', 'needs'],
			['/device', 'device'],
			['/import', 'import'],
			['/assignments', 'assignments']
		];
		for (const [href] of routes) {
			const before = new Set(loaded);
			// A locator waits for the link to be there (one run timed out here, its link never clicked).
			await page.locator(`a[href="${href}"]`).first().click();
			await page.waitForURL(`**${href}`);
			await page.waitForLoadState('networkidle');
			perRoute.push({ route: href, addedKB: sizeOf([...loaded].filter((p) => !before.has(p))) });
			await page.goBack();
			await homeComplete(page);
		}
		return { loginKB: sizeOf(login), startKB: sizeOf(start), backgroundKB: sizeOf([...afterStart].filter((p) => !start.has(p))), perRoute };
	} finally {
		await context.close();
		profile.remove();
	}
}

/** Signs in once (the first sync), so later launches start from the device's data. */
async function prepareProfile(server: ServerProcess, username: string, expected: HomeView) {
	const profile = tempDir(`gridwalk-bench-${username}-`);
	const context = await launch(profile.path);
	await watchHome(context, expected);
	const page = context.pages()[0] ?? (await context.newPage());
	await page.goto(`${server.url}/login`);
	await firstSignIn(page, username);
	// Controlling the page once it has precached everything.
	await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 60_000 });
	await context.close();
	return profile;
}

interface OfflineStart {
	usableMs: number;
	allLinksMs: number;
	documentsLoadedMs: number;
	heapMB: number;
}

/**
 * An offline start from the profile, timed through the bare DevTools socket (see bare-chromium.ts:
 * through Playwright, V8's stack traces for DevTools add ~100 ms at 4×, which no user pays).
 */
async function offlineStart(server: ServerProcess, profileDir: string, slowdown: number, expected: HomeView): Promise<OfflineStart> {
	const page = await openBarePage(profileDir, { offline: true, initScript: homeWatch(expected) });
	try {
		await page.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
		await page.goto(`${server.url}/`);
		const usableMs = await homeComplete(page);
		const allLinksMs = await homeComplete(page, true);
		const documentsLoadedMs = await documentsLoaded(page);
		await page.send('Emulation.setCPUThrottlingRate', { rate: 1 });
		return { usableMs, allLinksMs, documentsLoadedMs, heapMB: (await heapAfterGc(page)) / (KB * KB) };
	} finally {
		await page.close();
	}
}

/** Runs `use` on the page of a Playwright-driven browser started offline from the profile. */
async function offlineContext<T>(profileDir: string, expected: HomeView, use: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
	const context = await launch(profileDir, true);
	await watchHome(context, expected);
	try {
		return await use(context.pages()[0] ?? (await context.newPage()), context);
	} finally {
		await context.close();
	}
}

/** The same start as Playwright drives it (DevTools' Runtime domain on), for comparison: ms to usable. */
function offlineStartUnderPlaywright(server: ServerProcess, profileDir: string, slowdown: number, expected: HomeView): Promise<number> {
	return offlineContext(profileDir, expected, async (page, context) => {
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
		await page.goto(`${server.url}/`);
		return await homeComplete(page);
	});
}

/**
 * Starts offline from the profile, waits until every document is read, then runs `measure` with
 * the CPU slowed down.
 */
function fromOfflineHome<T>(server: ServerProcess, profileDir: string, slowdown: number, expected: HomeView, measure: (page: Page) => Promise<T>): Promise<T> {
	return offlineContext(profileDir, expected, async (page, context) => {
		await page.goto(`${server.url}/`);
		await homeComplete(page);
		await documentsLoaded(page);
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
		return await measure(page);
	});
}

function doorGrid(server: ServerProcess, profileDir: string, slowdown: number, buildingId: string, doors: number, expected: HomeView) {
	return fromOfflineHome(server, profileDir, slowdown, expected, async (page) => {
		// Timed in the page from the tap: until the frame in which every floor row on screen has its
		// doors is drawn, and the one with every door.
		return await page.evaluate<{ screen: number; every: number }>(`(() => {
			const tappedAt = performance.now();
			document.querySelector('a[data-building="${buildingId}"]').click();
			const floors = () => [...document.querySelectorAll('[role=row]')];
			return ${afterFirstFrames(
				{
					screen: `floors().length > 0 && floors().filter((f) => f.getBoundingClientRect().top < innerHeight).every((f) => f.querySelector('button[data-door]'))`,
					every: `document.querySelectorAll('button[data-door]').length === ${doors}`
				},
				'tappedAt'
			)};
		})()`);
	});
}

/** Opens search on the coordinator's device and types every query key by key. */
function residentSearch(server: ServerProcess, profileDir: string, slowdown: number, expected: HomeView) {
	return fromOfflineHome(server, profileDir, slowdown, expected, async (page) => {
		// Until the frame showing that it can search (how many residents, and what to type) is drawn.
		const { ready } = await page.evaluate<{ ready: number }>(`(() => {
			const tappedAt = performance.now();
			document.querySelector('a[href="/search"]').click();
			return ${afterFirstFrames({ ready: `document.querySelector('#resident-query') && document.querySelector('.empty li')` }, 'tappedAt')};
		})()`);
		// Each keystroke: from the key event to the first frame drawn showing results for the query
		// it makes (the page names the query its results answer; the bench says which to expect).
		await page.evaluate(`(() => {
			window.keystrokes = [];
			document.getElementById('resident-query').addEventListener('input', (event) => {
				const at = event.timeStamp;
				const expected = window.expectedQuery;
				const check = () => {
					if (document.querySelector('[data-results-for]')?.dataset.resultsFor === expected) setTimeout(() => window.keystrokes.push(performance.now() - at));
					else requestAnimationFrame(check);
				};
				requestAnimationFrame(check);
			});
		})()`);
		await page.locator('#resident-query').focus();
		const keystrokes: number[] = [];
		let recorded = 0;
		const type = async (press: () => Promise<void>, expected: string) => {
			await page.evaluate((query) => ((window as { expectedQuery?: string }).expectedQuery = query), expected);
			await press();
			recorded++;
			await page.waitForFunction((n) => (window as { keystrokes?: number[] }).keystrokes!.length >= n, recorded);
			// Typed at a person's pace: the next key comes once the page is idle.
			await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1_000 })));
			return page.evaluate((n) => (window as { keystrokes?: number[] }).keystrokes![n - 1], recorded);
		};
		for (const { keys } of SEARCH_QUERIES) {
			for (let i = 0; i < keys.length; i++) {
				const key = keys[i];
				// An input method commits a Chinese character as text; Latin letters and digits are keys.
				const press = () => (/^[\x20-\x7e]$/.test(key) ? page.keyboard.press(key) : page.keyboard.insertText(key));
				keystrokes.push(await type(press, normalizeQuery(keys.slice(0, i + 1).join(''))));
			}
			await type(async () => {
				await page.keyboard.press('Control+A');
				await page.keyboard.press('Backspace');
			}, '');
		}
		return { ready, keystrokes };
	});
}

async function main() {
	const community = generateCommunity({ households: HOUSEHOLDS });
	const buildings = new Map(community.buildings.map((b) => [b.id, b]));
	const linksOf = (grid: Grid) => buildingIdsOfGrid(grid, community.grids, buildings).length;
	const everything = { grids: community.grids.length, doors: community.grids.reduce((n, g) => n + doorsOfGrid(g, community.grids, buildings).length, 0), links: community.grids.reduce((n, g) => n + linksOf(g), 0) };
	// The tallest building with the most doors a floor: its first unit is what the page shows.
	const tallest = [...community.buildings].sort((a, b) => b.units[0].floors * b.units[0].doorsPerFloor - a.units[0].floors * a.units[0].doorsPerFloor)[0];
	const tallestDoors = tallest.units[0].floors * tallest.units[0].doorsPerFloor;
	// worker1 works grid g01 (server/seed.ts).
	const worker = 'worker1';
	const workerGrid = community.grids.find((g) => g.id === 'g01')!;
	const workerView = { grids: 1, doors: doorsOfGrid(workerGrid, community.grids, buildings).length, links: linksOf(workerGrid) };

	const server = await startServerProcess({ env: { DEMO_HOUSEHOLDS: String(HOUSEHOLDS) }, timeoutMs: 300_000 });
	let result;
	try {
		const js = await jsSizes(server, everything);
		const coordinatorProfile = await prepareProfile(server, 'coordinator', everything);
		const workerProfile = await prepareProfile(server, worker, workerView);
		const starts = { coordinator: { 1: [] as OfflineStart[], 4: [] as OfflineStart[] }, worker: { 1: [] as OfflineStart[], 4: [] as OfflineStart[] } };
		const underPlaywright: number[] = [];
		const grids = { 1: [] as { screen: number; every: number }[], 4: [] as { screen: number; every: number }[] };
		const searches = { 1: [] as { ready: number; keystrokes: number[] }[], 4: [] as { ready: number; keystrokes: number[] }[] };
		for (let run = 0; run < RUNS; run++) {
			for (const slowdown of [1, 4] as const) {
				starts.coordinator[slowdown].push(await offlineStart(server, coordinatorProfile.path, slowdown, everything));
				starts.worker[slowdown].push(await offlineStart(server, workerProfile.path, slowdown, workerView));
				if (slowdown === 4) underPlaywright.push(await offlineStartUnderPlaywright(server, coordinatorProfile.path, slowdown, everything));
				grids[slowdown].push(await doorGrid(server, coordinatorProfile.path, slowdown, tallest.id, tallestDoors, everything));
				searches[slowdown].push(await residentSearch(server, coordinatorProfile.path, slowdown, everything));
			}
			console.log(`run ${run + 1}/${RUNS} done`);
		}
		coordinatorProfile.remove();
		workerProfile.remove();
		const ms = (list: OfflineStart[]) => spread(list.map((s) => s.usableMs), 0);
		const loadedMs = (list: OfflineStart[]) => spread(list.map((s) => s.documentsLoadedMs), 0);
		const linksMs = (list: OfflineStart[]) => spread(list.map((s) => s.allLinksMs), 0);
		// Every keystroke of every run: median, 95th percentile and slowest.
		const perKey = (list: { keystrokes: number[] }[]) => {
			const all = list.flatMap((s) => s.keystrokes).sort((a, b) => a - b);
			return { keystrokes: all.length, median: Math.round(quantile(all, 0.5)), p95: Math.round(quantile(all, 0.95)), max: Math.round(all.at(-1)!) };
		};
		result = {
			benchmark: 'device: app size, offline cold start, door grid, resident search, tab memory',
			targets: 'JS at start ≤ 200 KB gzipped; offline cold start ≤ 1 s at 4× CPU slowdown; 33 × 6 door grid ≤ 100 ms; resident search ≤ 50 ms per keystroke; heap ≤ 60 MB (DESIGN.md §5)',
			date: new Date().toISOString(),
			fixture: { households: HOUSEHOLDS, grids: everything.grids, doors: everything.doors, tallestBuilding: `${tallest.id}: ${tallest.units[0].floors} floors × ${tallest.units[0].doorsPerFloor} doors`, worker, workerDoors: workerView.doors },
			machine: { ...machine(), chromium: chromiumVersion() },
			method: `${RUNS} runs; gzip level 9 of the built files the page fetched (at start: requested on a signed-in reload before the frame that first shows the whole home began); offline starts from a profile that signed in once, driven through a bare DevTools socket (Page, Emulation and network conditions only; also once a run through Playwright, for comparison), navigation start → the first frame in which the home lists every grid with all its doors is drawn (and → the first with every building link, drawn after the first screen on a fresh start; → every document read, the app's mark); door grid timed in the page from the tap until the frame is drawn (a task queued in that frame's animation callback) in which every floor row on the 390 × 844 screen has its doors, and the one with every door; search timed in the page from the tap on its link until the frame showing it can search, and per keystroke (Playwright key presses, Chinese characters committed as text, the next once the page is idle) from the key event's time stamp to the first frame drawn showing results for the query it makes (the page names it: data-results-for); heap after a forced GC.`,
			js: { loginKB: Math.round(js.loginKB), startKB: Math.round(js.startKB), backgroundKB: Math.round(js.backgroundKB), perRoute: js.perRoute.map((r) => ({ ...r, addedKB: Math.round(r.addedKB * 10) / 10 })) },
			offlineStartMs: { coordinator: { x1: ms(starts.coordinator[1]), x4: ms(starts.coordinator[4]) }, worker: { x1: ms(starts.worker[1]), x4: ms(starts.worker[4]) } },
			offlineStartUnderPlaywrightMs: { coordinator: { x4: spread(underPlaywright, 0) } },
			allLinksMs: { coordinator: { x1: linksMs(starts.coordinator[1]), x4: linksMs(starts.coordinator[4]) }, worker: { x1: linksMs(starts.worker[1]), x4: linksMs(starts.worker[4]) } },
			documentsLoadedMs: { coordinator: { x1: loadedMs(starts.coordinator[1]), x4: loadedMs(starts.coordinator[4]) }, worker: { x1: loadedMs(starts.worker[1]), x4: loadedMs(starts.worker[4]) } },
			doorGridMs: {
				onScreen: { x1: spread(grids[1].map((g) => g.screen), 0), x4: spread(grids[4].map((g) => g.screen), 0) },
				everyDoor: { x1: spread(grids[1].map((g) => g.every), 0), x4: spread(grids[4].map((g) => g.every), 0) }
			},
			searchMs: {
				ready: { x1: spread(searches[1].map((s) => s.ready), 0), x4: spread(searches[4].map((s) => s.ready), 0) },
				perKeystroke: { x1: perKey(searches[1]), x4: perKey(searches[4]) }
			},
			heapMB: { coordinator: spread(starts.coordinator[1].map((s) => s.heapMB), 1), worker: spread(starts.worker[1].map((s) => s.heapMB), 1) }
		};
	} finally {
		await server.stop();
	}

	const cell = (s: Spread) => `${s.median} (${s.min}–${s.max})`;
	const keys = (k: { median: number; p95: number; max: number }) => `${k.median} (${k.p95}, ${k.max})`;
	console.log(`\nDevice: ${HOUSEHOLDS} households; ${result.machine.cpu}, ${result.machine.cores} cores, load ${result.machine.loadAverage1m}, ${result.machine.chromium}`);
	console.log(
		table(
			['figure (median, min–max)', 'target', 'no slowdown', '4× CPU slowdown'],
			[
				['offline cold start, coordinator (all 20 grids), ms', '≤ 1,000 at 4×', cell(result.offlineStartMs.coordinator.x1), cell(result.offlineStartMs.coordinator.x4)],
				[`offline cold start, ${worker} (1 grid), ms`, '≤ 1,000 at 4×', cell(result.offlineStartMs.worker.x1), cell(result.offlineStartMs.worker.x4)],
				['… coordinator, driven by Playwright (DevTools’ Runtime domain on), ms', '', '', cell(result.offlineStartUnderPlaywrightMs.coordinator.x4)],
				[`… every building link drawn, coordinator (${everything.links}), ms`, '', cell(result.allLinksMs.coordinator.x1), cell(result.allLinksMs.coordinator.x4)],
				[`… every building link drawn, ${worker} (${workerView.links}), ms`, '', cell(result.allLinksMs.worker.x1), cell(result.allLinksMs.worker.x4)],
				['… every document read, coordinator, ms', '', cell(result.documentsLoadedMs.coordinator.x1), cell(result.documentsLoadedMs.coordinator.x4)],
				[`… every document read, ${worker}, ms`, '', cell(result.documentsLoadedMs.worker.x1), cell(result.documentsLoadedMs.worker.x4)],
				[`door grid ${result.fixture.tallestBuilding}: the doors on screen, ms`, '≤ 100', cell(result.doorGridMs.onScreen.x1), cell(result.doorGridMs.onScreen.x4)],
				['… every door, ms', '', cell(result.doorGridMs.everyDoor.x1), cell(result.doorGridMs.everyDoor.x4)],
				['resident search, coordinator: tap → it can search, ms', '', cell(result.searchMs.ready.x1), cell(result.searchMs.ready.x4)],
				['… per keystroke, key → its results on screen drawn, ms: median (p95, max)', '≤ 50', keys(result.searchMs.perKeystroke.x1), keys(result.searchMs.perKeystroke.x4)],
				['JS heap after GC, coordinator, MB', '≤ 60', cell(result.heapMB.coordinator), ''],
				[`JS heap after GC, ${worker}, MB`, '≤ 60', cell(result.heapMB.worker), '']
			]
		)
	);
	console.log(
		table(
			['JS gzipped', 'KB'],
			[['login page', result.js.loginKB], ['at start (a signed-in start, to the home screen)', result.js.startKB], ['then in the background (the building page; search’s pinyin when search rows changed)', result.js.backgroundKB], ...result.js.perRoute.map((r) => [`+ ${r.route}`, r.addedKB])]
		)
	);
	console.log(`written to ${writeResult('device', result)}`);
}

await main();
