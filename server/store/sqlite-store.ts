/**
 * {@link DocumentStore} in the server's SQLite database: one row per appended update in
 * `document_updates`, one snapshot per document in `document_snapshots`. A compaction stores
 * (replaces or merges) the snapshot and deletes the updates it covers in one transaction, so a crash leaves
 * either the old rows or the new snapshot, never a gap. (`through` in the snapshot table is the
 * highest position ever folded into it, kept for inspection.)
 */
import * as Y from 'yjs';
import type { Db } from '../db';
import type { DocumentStore, StoredDocument } from './document-store';

export function createSqliteStore(db: Db): DocumentStore {
	const snapshotOf = db.prepare<[string], { data: Buffer; through: number; version: number }>(
		'SELECT data, through, version FROM document_snapshots WHERE name = ?'
	);
	const updatesOf = db.prepare<[string], { seq: number; data: Buffer }>(
		'SELECT seq, data FROM document_updates WHERE name = ? ORDER BY seq'
	);
	const insertUpdate = db.prepare<[string, Uint8Array]>('INSERT INTO document_updates (name, data) VALUES (?, ?)');
	const upsertSnapshot = db.prepare<[string, Uint8Array, number, number]>(
		`INSERT INTO document_snapshots (name, data, through, version) VALUES (?, ?, ?, ?)
		 ON CONFLICT (name) DO UPDATE SET data = excluded.data, through = excluded.through, version = excluded.version`
	);
	const deleteUpdate = db.prepare<[string, number]>('DELETE FROM document_updates WHERE name = ? AND seq = ?');
	const anyDocument = db.prepare(
		'SELECT 1 FROM document_snapshots UNION ALL SELECT 1 FROM document_updates LIMIT 1'
	);

	// better-sqlite3 returns Buffers; hand out plain Uint8Arrays so callers see one type.
	const bytes = (data: Buffer) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

	const load = db.transaction((name: string): StoredDocument => {
		const snapshot = snapshotOf.get(name);
		const rows = updatesOf.all(name);
		const updates = rows.map((row) => bytes(row.data));
		if (snapshot) updates.unshift(bytes(snapshot.data));
		return { updates, positions: rows.map((row) => row.seq), snapshot: snapshot?.version ?? 0 };
	});

	const compact = db.transaction((name: string, snapshot: Uint8Array, positions: readonly number[], replaces?: number) => {
		const current = snapshotOf.get(name);
		const stored = current && current.version !== replaces ? Y.mergeUpdates([bytes(current.data), snapshot]) : snapshot;
		const version = (current?.version ?? 0) + 1;
		upsertSnapshot.run(name, stored, Math.max(current?.through ?? 0, ...positions), version);
		for (const position of positions) deleteUpdate.run(name, position);
		return stored === snapshot ? version : 0;
	});

	return {
		async load(name) {
			return load(name);
		},
		async append(name, update) {
			return Number(insertUpdate.run(name, update).lastInsertRowid);
		},
		async compact(name, snapshot, positions, replaces) {
			return compact(name, snapshot, positions, replaces);
		},
		async isEmpty() {
			return anyDocument.get() === undefined;
		},
		// The database belongs to whoever opened it (it also holds users): closing is theirs.
		async close() {}
	};
}
