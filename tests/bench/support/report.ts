/**
 * What every benchmark reports the same way: the machine it ran on, medians and spreads of
 * repeated runs, a Markdown table on stdout, and JSON under tests/bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';

export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');

export function quantile(sorted: readonly number[], q: number): number {
	if (sorted.length === 0) return 0;
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values: readonly number[]) => quantile([...values].sort((a, b) => a - b), 0.5);

/** A figure over repeated runs: shared machines are noisy, so the median and the range. */
export interface Spread {
	median: number;
	min: number;
	max: number;
	runs: number[];
}

export function spread(runs: readonly number[], digits = 1): Spread {
	const round = (n: number) => Math.round(n * 10 ** digits) / 10 ** digits;
	return { median: round(median(runs)), min: round(Math.min(...runs)), max: round(Math.max(...runs)), runs: runs.map(round) };
}

export function machine() {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model ?? 'unknown',
		cores: cpus.length,
		memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		os: `${os.type()} ${os.release()}`,
		node: process.version,
		// Other work on the machine slows every number down: a load above the core count shows it.
		loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100
	};
}

export function writeResult(name: string, result: object): string {
	const out = join(RESULTS_DIR, `${name}.json`);
	mkdirSync(dirname(out), { recursive: true });
	writeFileSync(out, JSON.stringify(result, null, '\t') + '\n');
	return out;
}

/** A Markdown table; the first column is left-aligned, the rest are figures. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
	return [
		`| ${header.join(' | ')} |`,
		`| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
		...rows.map((row) => `| ${row.join(' | ')} |`)
	].join('\n');
}
