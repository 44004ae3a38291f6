/**
 * Server load benchmark (DESIGN.md §5): N devices (two child processes, one socket each, spread
 * over the 20 grids of the 50,000-household demo) each record a visit every 5 s (jittered) for
 * 20 s while a coordinator's client listens on every grid: devices held, edits/s the listener
 * received, fan-out latency (edit made → listener has it) p50/p95/p99, edits lost, the server's
 * peak RSS, for N = 500, 1,000, 2,000. Baselines in the same run: a plain `ws` broadcast server
 * (the transport's ceiling) and bare Hocuspocus (no authentication, change check or persistence).
 * Loopback only; every round stops by itself.
 *
 * Run: npm run bench:server-load   (BENCH_DEVICES=500,1000,2000 BENCH_HOUSEHOLDS=50000)
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { toBase64 } from '../../src/lib/domain/base64';
import { connect, login, waitFor, type SyncClient } from '../sync/support/clients';
import { startServerProcess } from '../sync/support/server-process';
import type { LoadPlan } from './support/load-fleet';
import { ask, rssMB, startChildServer } from './support/processes';
import { machine, quantile, table, writeResult } from './support/report';

const SIZES = (process.env.BENCH_DEVICES ?? '500,1000,2000').split(',').map(Number);
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 50_000);
const INTERVAL_MS = 5_000;
const DURATION_MS = 20_000;
const DRAIN_MS = 5_000;
const FLEETS = 2;
const FLEET = join(import.meta.dirname, 'support', 'load-fleet.ts');
const GRIDS = Array.from({ length: 20 }, (_, i) => `c1/register/g${String(i + 1).padStart(2, '0')}`);

interface Server {
	label: string;
	kind: LoadPlan['kind'];
	url: string;
	pid: number;
	token: string;
	/** Times (ms since the epoch) the listener saw each edit made, from the edit's note. */
	listen(onEdit: (madeAt: number) => void): Promise<{ stateVectors: Record<string, string>; close(): void }>;
	stop(): Promise<unknown>;
}

/** Calls `onEdit` with the time each new visit was made, from its note `t:<ms>`. */
function watchEdits(doc: Y.Doc, onEdit: (madeAt: number) => void): void {
	const visits = doc.getMap<{ value?: { note?: string } }>('events');
	visits.observe((event) => {
		for (const key of event.keysChanged) {
			const note = visits.get(key)?.value?.note;
			if (note?.startsWith('t:')) onEdit(Number(note.slice(2)));
		}
	});
}

/** A coordinator's client on every grid, through the Hocuspocus provider. */
async function providerListener(syncUrl: string, token: string, onEdit: (madeAt: number) => void) {
	const clients: SyncClient[] = GRIDS.map((name) => connect(syncUrl, name, token));
	await waitFor('the listener to sync every grid', () => clients.every((c) => c.synced()), 300_000, 50);
	for (const client of clients) watchEdits(client.doc, onEdit);
	return {
		stateVectors: Object.fromEntries(GRIDS.map((name, i) => [name, toBase64(Y.encodeStateVector(clients[i].doc))])),
		close: () => clients.forEach((c) => c.destroy())
	};
}

async function gridwalk(): Promise<Server> {
	const server = await startServerProcess({ env: { DEMO_HOUSEHOLDS: String(HOUSEHOLDS) }, timeoutMs: 900_000 });
	const token = await login(server.url, 'coordinator');
	return { label: 'Gridwalk', kind: 'hocuspocus', url: server.syncUrl, pid: server.pid, token, listen: (onEdit) => providerListener(server.syncUrl, token, onEdit), stop: () => server.stop() };
}

async function bareHocuspocus(): Promise<Server> {
	const server = await startChildServer('bare-hocuspocus.ts');
	const url = `ws://127.0.0.1:${server.port}`;
	return { label: 'bare Hocuspocus', kind: 'hocuspocus', url, pid: server.pid, token: 'none', listen: (onEdit) => providerListener(url, 'none', onEdit), stop: server.stop };
}

async function broadcast(): Promise<Server> {
	const server = await startChildServer('broadcast-server.ts');
	const url = `ws://127.0.0.1:${server.port}`;
	return {
		label: 'ws broadcast',
		kind: 'ws',
		url,
		pid: server.pid,
		token: 'none',
		listen: async (onEdit) => {
			const sockets = await Promise.all(
				GRIDS.map(
					(name) =>
						new Promise<WebSocket>((resolve, reject) => {
							const socket = new WebSocket(`${url}/${encodeURIComponent(name)}`);
							const doc = new Y.Doc();
							watchEdits(doc, onEdit);
							socket.on('message', (data: Buffer) => Y.applyUpdate(doc, new Uint8Array(data)));
							socket.once('open', () => resolve(socket)).once('error', reject);
						})
				)
			);
			return { stateVectors: {}, close: () => sockets.forEach((s) => s.terminate()) };
		},
		stop: server.stop
	};
}

async function round(server: Server, devices: number) {
	const latencies: number[] = [];
	let measuring = false;
	const listener = await server.listen((madeAt) => measuring && latencies.push(Date.now() - madeAt));
	const fleets = Array.from({ length: FLEETS }, () => fork(FLEET, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
	try {
		const share = Math.ceil(devices / FLEETS);
		const plans = fleets.map((_, i): LoadPlan => ({
			kind: server.kind,
			url: server.url,
			token: server.token,
			username: 'coordinator',
			documents: GRIDS,
			stateVectors: listener.stateVectors,
			devices: Math.min(share, devices - i * share),
			firstDevice: i * share,
			intervalMs: INTERVAL_MS,
			durationMs: DURATION_MS
		}));
		const held = (await Promise.all(fleets.map((fleet, i) => ask<{ held: number }>(fleet, { start: plans[i] }, 'held')))).reduce((n, r) => n + r.held, 0);
		let peak = rssMB(server.pid);
		const sampler = setInterval(() => (peak = Math.max(peak, rssMB(server.pid))), 100);
		measuring = true;
		const results = await Promise.all(fleets.map((fleet) => ask<{ sent: number; held: number }>(fleet, { run: true }, 'sent')));
		await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
		measuring = false;
		clearInterval(sampler);
		const sent = results.reduce((n, r) => n + r.sent, 0);
		const sorted = [...latencies].sort((a, b) => a - b);
		return {
			devices,
			held,
			heldAtEnd: results.reduce((n, r) => n + r.held, 0),
			sent,
			received: latencies.length,
			lost: Math.max(0, sent - latencies.length),
			editsPerSecond: Math.round((latencies.length / (DURATION_MS / 1000)) * 10) / 10,
			latencyMs: { p50: Math.round(quantile(sorted, 0.5)), p95: Math.round(quantile(sorted, 0.95)), p99: Math.round(quantile(sorted, 0.99)) },
			peakRssMB: Math.round(peak)
		};
	} finally {
		for (const fleet of fleets) fleet.send({ stop: true });
		await Promise.all(fleets.map((fleet) => new Promise((resolve) => (fleet.exitCode === null ? fleet.once('exit', resolve) : resolve(null)))));
		listener.close();
	}
}

const results: Record<string, Awaited<ReturnType<typeof round>>[]> = {};
for (const start of [broadcast, bareHocuspocus, gridwalk]) {
	const server = await start();
	try {
		results[server.label] = [];
		for (const devices of SIZES) {
			const figures = await round(server, devices);
			results[server.label].push(figures);
			console.log(`${server.label} ${devices}: held ${figures.held}, ${figures.editsPerSecond} edits/s, p50/p95/p99 ${figures.latencyMs.p50}/${figures.latencyMs.p95}/${figures.latencyMs.p99} ms, lost ${figures.lost}, RSS ${figures.peakRssMB} MB`);
		}
	} finally {
		await server.stop();
	}
}

const result = {
	benchmark: 'server load: devices editing while a coordinator listens',
	targets: '1,000 devices: p95 ≤ 200 ms; 2,000 devices held, ≤ 1 GiB, no edit lost (DESIGN.md §5)',
	date: new Date().toISOString(),
	fixture: { households: HOUSEHOLDS, grids: GRIDS.length, editEveryMs: INTERVAL_MS, durationMs: DURATION_MS },
	machine: machine(),
	method: `devices in ${FLEETS} child processes, one socket and one grid each, opened 50 at a time; each sends a visit every ${INTERVAL_MS} ms (random start) for ${DURATION_MS} ms; the listener (one client per grid, in the bench process) times each visit from the time in its note; lost = sent − received after a ${DRAIN_MS} ms drain; RSS of the server process sampled every 100 ms.`,
	results
};
console.log(`\nServer load: ${HOUSEHOLDS} households; ${result.machine.cpu}, ${result.machine.cores} cores, load ${result.machine.loadAverage1m}`);
console.log(
	table(
		['server, devices', 'held', 'edits/s', 'p50 ms', 'p95 ms', 'p99 ms', 'lost', 'peak RSS MB'],
		Object.entries(results).flatMap(([label, rows]) =>
			rows.map((r) => [`${label}, ${r.devices}`, r.held, r.editsPerSecond, r.latencyMs.p50, r.latencyMs.p95, r.latencyMs.p99, r.lost, r.peakRssMB])
		)
	)
);
console.log(`written to ${writeResult('server-load', result)}`);
