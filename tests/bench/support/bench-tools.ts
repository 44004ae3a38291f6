/**
 * Packages only the benchmarks use (the PouchDB baseline, Lighthouse, axe), installed on first use
 * into tests/bench/.baseline with install scripts skipped (none needs its native builds here), so
 * they never enter the app's dependencies or the test command's install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const TOOLS_DIR = join(import.meta.dirname, '..', '.baseline');
const PACKAGES = ['pouchdb-server@4.2.0', 'pouchdb@9.0.0', 'lighthouse@12.2.3', '@axe-core/playwright@4.11.3'];

/** Installs the tools when any is missing; returns the folder holding their node_modules. */
export function benchTools(): string {
	const missing = PACKAGES.some((spec) => !existsSync(join(TOOLS_DIR, 'node_modules', spec.slice(0, spec.lastIndexOf('@')), 'package.json')));
	if (missing) {
		console.log(`installing the benchmarks' tools (${PACKAGES.join(', ')}) into ${TOOLS_DIR}`);
		mkdirSync(TOOLS_DIR, { recursive: true });
		writeFileSync(join(TOOLS_DIR, 'package.json'), '{ "private": true }\n');
		execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', TOOLS_DIR, ...PACKAGES], { stdio: 'inherit' });
	}
	return TOOLS_DIR;
}

/** Imports one of the tools (an ES module or CommonJS package) by name. */
export async function importTool<T>(name: string): Promise<T> {
	const resolved = createRequire(join(benchTools(), 'package.json')).resolve(name);
	return (await import(pathToFileURL(resolved).href)) as T;
}
