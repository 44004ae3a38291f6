/**
 * The PouchDB/CouchDB baseline: pouchdb-server 4.2 `--in-memory` on loopback, holding one
 * document per household and one per resident, as CHT stores a register (installed on first use,
 * see bench-tools.ts).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Household } from '../../../src/lib/domain/household';
import { waitFor } from '../../sync/support/clients';
import { benchTools, TOOLS_DIR } from './bench-tools';
import { freePort } from './free-port';

export const POUCHDB_BROWSER_SCRIPT = join(TOOLS_DIR, 'node_modules', 'pouchdb', 'dist', 'pouchdb.min.js');
const SERVER_BIN = join(TOOLS_DIR, 'node_modules', '.bin', 'pouchdb-server');

export async function startPouchServer() {
	benchTools();
	const port = await freePort();
	const child = spawn(SERVER_BIN, ['--in-memory', '--host', '127.0.0.1', '--port', String(port)], {
		cwd: TOOLS_DIR,
		stdio: 'ignore'
	});
	const origin = `http://127.0.0.1:${port}`;
	await waitFor('pouchdb-server', () => fetch(origin).then((r) => r.ok, () => false), 30_000, 200);
	const dbUrl = `${origin}/register`;
	const version = JSON.parse(readFileSync(join(TOOLS_DIR, 'node_modules', 'pouchdb-server', 'package.json'), 'utf8')).version as string;

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
