/**
 * Reconnect benchmark (DESIGN.md §5): a worker's device with 300 visits recorded offline
 * reconnects — time until every one is acknowledged (target ≤ 1 s); then 200 devices, spread over
 * the 20 grids, each with 5 offline visits, reconnect at once (reconnect storm) — time until all
 * are acknowledged, and the server's CPU time and peak memory meanwhile.
 *
 * Devices are Hocuspocus providers over `ws` in a child process (support/device-fleet.ts), each
 * on its own socket, loopback only. Baseline in the same run: the same devices against bare
 * Hocuspocus (no authentication, change check or persistence). Each figure is the median of runs.
 *
 * Run: npm run bench:sync-reconnect   (BENCH_RUNS=5, BENCH_HOUSEHOLDS=10000)
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { login } from '../sync/support/clients';
import { startServerProcess } from '../sync/support/server-process';
import type { FleetPlan } from './support/device-fleet';
import { ask, cpuSeconds, rssMB, startChildServer } from './support/processes';
import { machine, spread, table, writeResult, type Spread } from './support/report';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 10_000);
const FLEET = join(import.meta.dirname, 'support', 'device-fleet.ts');

interface Target {
	label: string;
	syncUrl: string;
	pid: number;
	token: string;
	username: string;
	grids: string[];
	stop(): Promise<unknown>;
}

interface Round {
	ms: number;
	serverCpuSeconds: number;
	serverPeakRssMB: number;
}

/** Connects a fleet, takes it offline to edit, reconnects it and times the acknowledgements. */
async function round(target: Target, devices: number, edits: number): Promise<Round> {
	const fleet = fork(FLEET, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	try {
		const plan: FleetPlan = { syncUrl: target.syncUrl, token: target.token, username: target.username, documents: target.grids, devices, edits };
		await ask(fleet, { start: plan }, 'ready');
		await ask(fleet, { goOffline: true }, 'offline');
		// Let the server settle (unload documents, compact) so the reconnect meets it idle.
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		const cpuBefore = cpuSeconds(target.pid);
		let peak = rssMB(target.pid);
		const sampler = setInterval(() => (peak = Math.max(peak, rssMB(target.pid))), 50);
		const { synced: ms } = await ask<{ synced: number }>(fleet, { reconnect: true }, 'synced');
		clearInterval(sampler);
		return { ms, serverCpuSeconds: cpuSeconds(target.pid) - cpuBefore, serverPeakRssMB: Math.max(peak, rssMB(target.pid)) };
	} finally {
		fleet.send({ stop: true });
		await new Promise((resolve) => fleet.once('exit', resolve));
	}
}

async function gridwalk(): Promise<Target> {
	const server = await startServerProcess({ env: { DEMO_HOUSEHOLDS: String(HOUSEHOLDS) }, timeoutMs: 300_000 });
	const token = await login(server.url, 'coordinator');
	const grids = Array.from({ length: 20 }, (_, i) => `c1/register/g${String(i + 1).padStart(2, '0')}`);
	return { label: 'Gridwalk', syncUrl: server.syncUrl, pid: server.pid, token, username: 'coordinator', grids, stop: () => server.stop() };
}

async function bare(): Promise<Target> {
	const server = await startChildServer('bare-hocuspocus.ts');
	const grids = Array.from({ length: 20 }, (_, i) => `g${i + 1}`);
	return { label: 'bare Hocuspocus', syncUrl: `ws://127.0.0.1:${server.port}`, pid: server.pid, token: 'none', username: 'coordinator', grids, stop: server.stop };
}

async function measure(start: () => Promise<Target>) {
	const target = await start();
	try {
		const one: Round[] = [];
		const storm: Round[] = [];
		for (let run = 0; run < RUNS; run++) {
			// One device, one grid: a worker's day.
			one.push(await round({ ...target, grids: target.grids.slice(0, 1) }, 1, 300));
			storm.push(await round(target, 200, 5));
			console.log(`${target.label} run ${run + 1}/${RUNS}: 300 edits ${one.at(-1)!.ms.toFixed(0)} ms; storm ${storm.at(-1)!.ms.toFixed(0)} ms, server CPU ${storm.at(-1)!.serverCpuSeconds.toFixed(2)} s, peak RSS ${storm.at(-1)!.serverPeakRssMB.toFixed(0)} MB`);
		}
		return {
			oneDevice300EditsMs: spread(one.map((r) => r.ms), 0),
			storm200DevicesMs: spread(storm.map((r) => r.ms), 0),
			stormServerCpuSeconds: spread(storm.map((r) => r.serverCpuSeconds), 2),
			stormServerPeakRssMB: spread(storm.map((r) => r.serverPeakRssMB), 0)
		};
	} finally {
		await target.stop();
	}
}

const ours = await measure(gridwalk);
const baseline = await measure(bare);
const result = {
	benchmark: 'sync, reconnect: 300 offline edits on one device; 200 devices reconnecting at once',
	targets: '300 edits acknowledged ≤ 1 s (DESIGN.md §5)',
	date: new Date().toISOString(),
	fixture: { households: HOUSEHOLDS, grids: 20, oneDevice: { edits: 300, documents: 1 }, storm: { devices: 200, editsEach: 5, documents: 20 } },
	machine: machine(),
	method: `${RUNS} runs; devices are Hocuspocus providers in one child process, one socket each; time from reconnect until an observer client on each document (connected throughout) holds every edit (our server stores a change before relaying it); server CPU = user+system time of its process during the reconnect; RSS sampled every 50 ms.`,
	gridwalk: ours,
	bareHocuspocus: baseline
};
const cell = (s: Spread) => `${s.median} (${s.min}–${s.max})`;
console.log(`\nReconnect: ${result.machine.cpu}, ${result.machine.cores} cores, load ${result.machine.loadAverage1m}`);
console.log(
	table(
		['figure (median, min–max)', 'target', 'Gridwalk', 'bare Hocuspocus'],
		[
			['1 device, 300 offline edits: all on the server, ms', '≤ 1,000', cell(ours.oneDevice300EditsMs), cell(baseline.oneDevice300EditsMs)],
			['200 devices × 5 edits at once: all on the server, ms', '', cell(ours.storm200DevicesMs), cell(baseline.storm200DevicesMs)],
			['storm: server CPU, s', '', cell(ours.stormServerCpuSeconds), cell(baseline.stormServerCpuSeconds)],
			['storm: server peak RSS, MB', '≤ 1,024', cell(ours.stormServerPeakRssMB), cell(baseline.stormServerPeakRssMB)]
		]
	)
);
console.log(`written to ${writeResult('sync-reconnect', result)}`);
