/**
 * Cold sync benchmark (DESIGN.md §5): a coordinator's first full sync of the 10,000-household
 * demo community into a fresh Chromium profile (real browser, real IndexedDB on disk), against
 * PouchDB replicating the same records (one document per household and per resident) from
 * pouchdb-server 4.2 (`--in-memory`) into the browser's `idb` adapter, the way CHT syncs.
 *
 * Ours: from the click on 登录 until the home screen shows every grid with all its doors and
 * every document is stored in IndexedDB (each y-indexeddb database holds at least the bytes
 * of the server's state of that document, measured by a Node client first). Bytes on the wire:
 * everything both ways through a counting TCP proxy from the click on (both sides' pages were
 * loaded before). Heap: the page's JS heap after a forced GC.
 *
 * Run: npm run bench:sync-cold   (BENCH_RUNS=3, BENCH_HOUSEHOLDS=10000)
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import * as Y from 'yjs';
import { generateCommunity } from '../../server/demo/demo-community';
import { doorsOfGrid } from '../../src/lib/domain/places';
import { connect, login, waitFor } from '../sync/support/clients';
import { startServerProcess, tempDir, type ServerProcess } from '../sync/support/server-process';
import { chromiumVersion, heapAfterGc, launchBrowser } from './support/browser';
import { startByteProxy, type ByteProxy } from './support/byte-proxy';
import { startPouchServer, POUCHDB_BROWSER_SCRIPT } from './support/pouchdb-baseline';
import { machine, spread, table, writeResult, type Spread } from './support/report';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 10_000);
const TIMEOUT_MS = 300_000;

interface RunFigures {
	/** Until usable (ours: dashboard complete and stored; PouchDB: replication complete). */
	seconds: number;
	wireMB: number;
	indexedDbMB: number;
	heapMB: number;
	/** Ours only: when the dashboard showed every grid with its doors (from the index), s. */
	dashboardSeconds?: number;
}

const MB = 1024 * 1024;

/** The proxy's count once nothing has passed for a second (the last writes may still be flowing). */
async function quietBytes(proxy: ByteProxy): Promise<number> {
	let last = -1;
	while (proxy.bytes() !== last) {
		last = proxy.bytes();
		await new Promise((resolve) => setTimeout(resolve, 1_000));
	}
	return last;
}

async function indexedDbUsage(page: Page): Promise<number> {
	return page.evaluate(async () => {
		const estimate = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: { indexedDB?: number } };
		return estimate.usageDetails?.indexedDB ?? estimate.usage ?? 0;
	});
}

/** A fresh profile on disk per run, as a phone that never opened the app. */
async function freshBrowser(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; close(): Promise<void> }> {
	const profile = tempDir('gridwalk-bench-profile-');
	const context = await launchBrowser(profile.path);
	const page = context.pages()[0] ?? (await context.newPage());
	const cdp = await context.newCDPSession(page);
	return {
		context,
		page,
		cdp,
		close: async () => {
			await context.close();
			profile.remove();
		}
	};
}

/** Bytes of the server's state of each of the coordinator's documents, read by a Node client. */
async function serverStateSizes(server: ServerProcess): Promise<Map<string, number>> {
	const token = await login(server.url, 'coordinator');
	const me = (await (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
		documents: { name: string }[];
	};
	const sizes = new Map<string, number>();
	for (const { name } of me.documents) {
		const client = connect(server.syncUrl, name, token);
		await waitFor(`${name} synced`, () => client.synced(), 60_000);
		sizes.set(name, Y.encodeStateAsUpdate(client.doc).length);
		client.destroy();
	}
	return sizes;
}

async function ours(server: ServerProcess, expectedDoors: number, grids: number, sizes: Map<string, number>): Promise<RunFigures> {
	const browser = await freshBrowser();
	const proxy = await startByteProxy(server.url);
	try {
		const { page, cdp } = browser;
		await page.goto(`${proxy.url}/login`);
		await page.getByLabel('用户名').fill('coordinator');
		await page.getByLabel('密码').fill('gridwalk');
		const start = performance.now();
		proxy.reset();
		await page.getByRole('button', { name: '登录' }).click();
		// The dashboard: every grid's card, counting all of its doors.
		await page.waitForFunction(
			({ doors, grids }) => {
				const bars = [...document.querySelectorAll('.grid-card progress')] as HTMLProgressElement[];
				return bars.length === grids && bars.reduce((n, bar) => n + bar.max, 0) === doors;
			},
			{ doors: expectedDoors, grids },
			{ polling: 50, timeout: TIMEOUT_MS }
		);
		const dashboardSeconds = (performance.now() - start) / 1000;
		// Stored: every document's database holds at least the server's state of it. Polled from
		// here (Playwright's waitForFunction does not wait for an async check: it took the promise as
		// a yes), reading only the databases not yet found complete, and only those y-indexeddb has
		// created (opening a missing one would create it without its store).
		const incomplete = new Map([...sizes].map(([name, size]) => [`gridwalk:coordinator:${name}`, size]));
		while (incomplete.size > 0) {
			if (performance.now() - start > TIMEOUT_MS) throw new Error(`not stored in time: ${[...incomplete.keys()].join(', ')}`);
			const complete = await page.evaluate(async (needed) => {
				const existing = new Set((await indexedDB.databases()).map((d) => d.name));
				const done: string[] = [];
				for (const [name, size] of needed) {
					if (!existing.has(name)) continue;
					const stored = await new Promise<number>((resolve) => {
						const open = indexedDB.open(name);
						open.onsuccess = () => {
							const db = open.result;
							if (!db.objectStoreNames.contains('updates')) return resolve((db.close(), 0));
							const all = db.transaction('updates').objectStore('updates').getAll();
							all.onsuccess = () => resolve((db.close(), (all.result as Uint8Array[]).reduce((n, u) => n + u.byteLength, 0)));
						};
						open.onerror = () => resolve(0);
					});
					if (stored >= size) done.push(name);
				}
				return done;
			}, [...incomplete]);
			for (const name of complete) incomplete.delete(name);
			if (incomplete.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const seconds = (performance.now() - start) / 1000;
		return {
			seconds,
			wireMB: (await quietBytes(proxy)) / MB,
			indexedDbMB: (await indexedDbUsage(page)) / MB,
			heapMB: (await heapAfterGc(cdp)) / MB,
			dashboardSeconds
		};
	} finally {
		await browser.close();
		await proxy.close();
	}
}

async function pouchdb(remote: string, batchSize: number | undefined, records: number): Promise<RunFigures> {
	const browser = await freshBrowser();
	const proxy = await startByteProxy(remote);
	try {
		const { page, cdp } = browser;
		// Same origin as the database, so no CORS: the page is the server's welcome document.
		await page.goto(`${proxy.url}/`);
		await page.addScriptTag({ path: POUCHDB_BROWSER_SCRIPT });
		proxy.reset();
		const { seconds, docs } = await page.evaluate(
			async ({ remote, batchSize }) => {
				const PouchDB = (window as unknown as { PouchDB: any }).PouchDB;
				const local = new PouchDB('bench', { adapter: 'idb' });
				const start = performance.now();
				await PouchDB.replicate(remote, local, batchSize ? { batch_size: batchSize } : {});
				const seconds = (performance.now() - start) / 1000;
				return { seconds, docs: (await local.info()).doc_count as number };
			},
			{ remote: `${proxy.url}${new URL(remote).pathname}`, batchSize }
		);
		if (docs !== records) throw new Error(`PouchDB replicated ${docs} of ${records} records`);
		return { seconds, wireMB: (await quietBytes(proxy)) / MB, indexedDbMB: (await indexedDbUsage(page)) / MB, heapMB: (await heapAfterGc(cdp)) / MB };
	} finally {
		await browser.close();
		await proxy.close();
	}
}

type Summary = Record<'seconds' | 'wireMB' | 'indexedDbMB' | 'heapMB', Spread>;

function summarize(runs: RunFigures[]): Summary {
	return {
		seconds: spread(runs.map((r) => r.seconds), 2),
		wireMB: spread(runs.map((r) => r.wireMB), 2),
		indexedDbMB: spread(runs.map((r) => r.indexedDbMB), 2),
		heapMB: spread(runs.map((r) => r.heapMB), 1)
	};
}

async function repeat(label: string, run: () => Promise<RunFigures>): Promise<RunFigures[]> {
	const runs: RunFigures[] = [];
	for (let i = 0; i < RUNS; i++) {
		const figures = await run();
		const phases = figures.dashboardSeconds ? ` (dashboard ${figures.dashboardSeconds.toFixed(2)} s)` : '';
		console.log(`${label} run ${i + 1}/${RUNS}: ${figures.seconds.toFixed(2)} s${phases}, ${figures.wireMB.toFixed(2)} MB wire, ${figures.indexedDbMB.toFixed(2)} MB IndexedDB, ${figures.heapMB.toFixed(1)} MB heap`);
		runs.push(figures);
	}
	return runs;
}

async function main() {
	const community = generateCommunity({ households: HOUSEHOLDS });
	const households = [...community.households.values()].flat();
	const residents = households.reduce((n, h) => n + h.members.length, 0);
	const buildings = new Map(community.buildings.map((b) => [b.id, b]));
	const doors = community.grids.reduce((n, g) => n + doorsOfGrid(g, community.grids, buildings).length, 0);

	const server = await startServerProcess({ env: { DEMO_HOUSEHOLDS: String(HOUSEHOLDS) }, timeoutMs: 300_000 });
	const pouch = await startPouchServer();
	let result;
	try {
		const sizes = await serverStateSizes(server);
		const records = await pouch.load(households);
		const browserVersion = chromiumVersion();

		const gridwalkRuns = await repeat('gridwalk', () => ours(server, doors, community.grids.length, sizes));
		const gridwalk = summarize(gridwalkRuns);
		const pouchDefaults = summarize(await repeat('pouchdb (defaults)', () => pouchdb(pouch.dbUrl, undefined, records)));
		const pouchBatched = summarize(await repeat('pouchdb (batch 1000)', () => pouchdb(pouch.dbUrl, 1000, records)));

		result = {
			benchmark: 'sync, cold: a coordinator’s first full sync into a fresh Chromium profile',
			targets: '≤ 2.5 s, ≤ 4 MB on the wire, ≤ 60 MB JS heap, ≥ 15× faster than PouchDB (DESIGN.md §5)',
			date: new Date().toISOString(),
			fixture: { households: households.length, residents, doors, grids: community.grids.length, documents: sizes.size, pouchRecords: records },
			machine: { ...machine(), chromium: browserVersion },
			method: `${RUNS} runs each, a fresh on-disk profile per run; medians with min and max. Wire: TCP bytes both ways through a counting proxy, from the click on. Ours: click on 登录 → every grid card shows all its doors and every y-indexeddb database holds at least the server's state of its document (polled every 100 ms from Node; a database found complete is not read again). PouchDB ${pouch.version} --in-memory → PouchDB.replicate into the idb adapter.`,
			gridwalk,
			gridwalkDashboardSeconds: spread(gridwalkRuns.map((r) => r.dashboardSeconds!), 2),
			pouchdbDefaults: pouchDefaults,
			pouchdbBatch1000: pouchBatched,
			speedupVsPouchDefaults: Math.round((pouchDefaults.seconds.median / gridwalk.seconds.median) * 10) / 10,
			speedupVsPouchBatch1000: Math.round((pouchBatched.seconds.median / gridwalk.seconds.median) * 10) / 10
		};
	} finally {
		await pouch.stop();
		await server.stop();
	}

	const row = (label: string, target: string, pick: (r: Summary) => Spread) => {
		const cell = (s: Spread) => `${s.median} (${s.min}–${s.max})`;
		return [label, target, cell(pick(result.gridwalk)), cell(pick(result.pouchdbDefaults)), cell(pick(result.pouchdbBatch1000))];
	};
	console.log(
		`\nCold sync: ${households.length} households, ${residents} residents, ${community.grids.length} grids; ${result.machine.cpu}, ${result.machine.cores} cores, load ${result.machine.loadAverage1m}, Chromium ${result.machine.chromium}`
	);
	console.log(
		table(
			['figure (median, min–max)', 'target', 'Gridwalk', 'PouchDB defaults', 'PouchDB batch 1,000'],
			[
				row('time to usable, s', '≤ 2.5', (r) => r.seconds),
				row('on the wire, MB', '≤ 4', (r) => r.wireMB),
				row('IndexedDB, MB', '≤ 30', (r) => r.indexedDbMB),
				row('JS heap after GC, MB', '≤ 60', (r) => r.heapMB)
			]
		)
	);
	console.log(`PouchDB ÷ Gridwalk time: ${result.speedupVsPouchDefaults}× (defaults), ${result.speedupVsPouchBatch1000}× (batch 1,000); target ≥ 15×`);
	console.log(`written to ${writeResult('sync-cold', result)}`);
}

await main();
