/**
 * The PouchDB/CouchDB baseline: pouchdb-server 4.2 `--in-memory` on loopback, holding one
 * document per household and one per resident, as CHT stores a register. The packages are
 * installed on first use into tests/bench/.baseline (install scripts skipped: the in-memory
 * server needs none of the native builds), so they never enter the app's dependencies.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Household } from '../../../src/lib/domain/household';
import { waitFor } from '../../sync/support/clients';

const BASELINE_DIR = join(import.meta.dirname, '..', '.baseline');
const PACKAGES = ['pouchdb-server@4.2.0', 'pouchdb@9.0.0'];
export const POUCHDB_BROWSER_SCRIPT = join(BASELINE_DIR, 'node_modules', 'pouchdb', 'dist', 'pouchdb.min.js');
const SERVER_BIN = join(BASELINE_DIR, 'node_modules', '.bin', 'pouchdb-server');

function install(): void {
	if (existsSync(SERVER_BIN) && existsSync(POUCHDB_BROWSER_SCRIPT)) return;
	console.log(`installing the baseline (${PACKAGES.join(', ')}) into ${BASELINE_DIR}`);
	mkdirSync(BASELINE_DIR, { recursive: true });
	writeFileSync(join(BASELINE_DIR, 'package.json'), '{ "private": true }\n');
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', BASELINE_DIR, ...PACKAGES], { stdio: 'inherit' });
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

export async function startPouchServer() {
	install();
	const port = await freePort();
	const child = spawn(SERVER_BIN, ['--in-memory', '--host', '127.0.0.1', '--port', String(port)], {
		cwd: BASELINE_DIR,
		stdio: 'ignore'
	});
	const origin = `http://127.0.0.1:${port}`;
	await waitFor('pouchdb-server', () => fetch(origin).then((r) => r.ok, () => false), 30_000, 200);
	const dbUrl = `${origin}/register`;
	const version = JSON.parse(readFileSync(join(BASELINE_DIR, 'node_modules', 'pouchdb-server', 'package.json'), 'utf8')).version as string;

	return {
		dbUrl,
		version,
		/** Stores the households and their residents as separate documents; returns how many. */
		async load(households: readonly Household[]): Promise<number> {
			await fetch(dbUrl, { method: 'PUT' });
			const docs = households.flatMap(({ members, ...household }) => [
				{ _id: `household:${household.id}`, type: 'household', ...household },
				...members.map((member) => ({ _id: `person:${household.id}:${member.id}`, type: 'person', household: household.id, ...member }))
			]);
			for (let at = 0; at < docs.length; at += 2_000) {
				const response = await fetch(`${dbUrl}/_bulk_docs`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ docs: docs.slice(at, at + 2_000) })
				});
				if (!response.ok) throw new Error(`pouchdb-server refused a batch: ${response.status}`);
			}
			return docs.length;
		},
		async stop(): Promise<void> {
			child.kill();
		}
	};
}
