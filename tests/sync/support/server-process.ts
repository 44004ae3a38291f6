/**
 * Runs the real server (`node --import tsx server/main.ts`) as a child process on a free
 * loopback port with its own temporary DATA_DIR, as `npm start` would, and reads the chosen
 * port from its startup line.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../../..');
const STARTUP_LINE = /^Gridwalk listening on http:\/\/[^\s]+:(\d+) data=(\S+) demo=(created|existing|off)$/m;

export interface ServerProcess {
	/** `http://127.0.0.1:PORT` */
	url: string;
	/** `ws://127.0.0.1:PORT/sync` */
	syncUrl: string;
	dataDir: string;
	/** What the startup line said about demo data. */
	demo: string;
	output(): string;
	pid: number;
	/** Whether the process is still running. */
	alive(): boolean;
	/** Its resident memory now (VmRSS from /proc, Linux). */
	rssBytes(): number;
	/** SIGTERM (graceful) or SIGKILL (crash); resolves once the process has exited. */
	stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

export interface StartOptions {
	dataDir?: string;
	env?: Record<string, string>;
	timeoutMs?: number;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
	const path = mkdtempSync(join(tmpdir(), prefix));
	return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((done) => child.once('exit', (code) => done(code)));
}

export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
	const dataDir = options.dataDir ?? tempDir('gridwalk-data-').path;
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		cwd: REPO,
		env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, DEMO_HOUSEHOLDS: '1000', ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	let stopping = false;
	// A server that dies on its own is the likeliest cause of a confusing failure: say so.
	child.once('exit', (code, signal) => {
		if (!stopping) console.error(`gridwalk server exited unexpectedly (${code ?? signal}):\n${output}`);
	});

	const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
		stopping = true;
		if (child.exitCode === null && child.signalCode === null) child.kill(signal);
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		try {
			return await exited(child);
		} finally {
			clearTimeout(timer);
		}
	};

	const match = await new Promise<RegExpExecArray>((done, fail) => {
		const timer = setTimeout(() => fail(new Error(`server did not start in time:\n${output}`)), options.timeoutMs ?? 30_000);
		const check = () => {
			const found = STARTUP_LINE.exec(output);
			if (found) {
				clearTimeout(timer);
				child.stdout!.off('data', check);
				done(found);
			}
		};
		child.stdout!.on('data', check);
		child.once('exit', (code) => {
			clearTimeout(timer);
			fail(new Error(`server exited with ${code} before starting:\n${output}`));
		});
	}).catch(async (error: unknown) => {
		await stop('SIGKILL');
		throw error;
	});

	const port = Number(match[1]);
	return {
		url: `http://127.0.0.1:${port}`,
		syncUrl: `ws://127.0.0.1:${port}/sync`,
		dataDir,
		demo: match[3],
		output: () => output,
		pid: child.pid!,
		alive: () => child.exitCode === null && child.signalCode === null,
		rssBytes: () => rssBytes(child.pid!),
		stop
	};
}

/** The resident memory of a process, from /proc. */
export function rssBytes(pid: number): number {
	const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
	if (!kib) throw new Error(`no VmRSS for process ${pid}`);
	return Number(kib) * 1024;
}

/** `npm run admin -- …` against a data directory, as an operator would (works while the server runs). */
export async function runAdmin(dataDir: string, ...args: string[]): Promise<void> {
	await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/admin.ts', ...args], {
		cwd: REPO,
		env: { ...process.env, DATA_DIR: dataDir, GRIDWALK_PASSWORD: 'gridwalk' }
	});
}
