/**
 * The other processes a benchmark drives: baseline servers it starts, fleets it asks over IPC,
 * and what /proc says they cost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../sync/support/clients';
import { rssBytes } from '../../sync/support/server-process';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export const rssMB = (pid: number) => rssBytes(pid) / 2 ** 20;

/** Starts one of support/'s servers, which prints `listening <port>` when ready. */
export async function startChildServer(script: string): Promise<{ pid: number; port: number; stop(): Promise<unknown> }> {
	const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script)], { stdio: ['ignore', 'pipe', 'inherit'] });
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	await waitFor(script, () => /listening \d+/.test(output), 30_000, 50);
	return {
		pid: child.pid!,
		port: Number(/listening (\d+)/.exec(output)![1]),
		stop: async () => {
			child.kill();
			await new Promise((resolve) => child.once('exit', resolve));
		}
	};
}

/** Sends `message` to a forked child and resolves with its first reply that has `answer`. */
export function ask<T>(child: ChildProcess, message: object, answer: string): Promise<T> {
	return new Promise((resolve, reject) => {
		const onMessage = (reply: Record<string, unknown>) => {
			if (!(answer in reply)) return;
			child.off('message', onMessage);
			resolve(reply as T);
		};
		child.on('message', onMessage);
		child.once('exit', (code) => reject(new Error(`${answer}: the child exited (${code})`)));
		child.send(message);
	});
}
