/**
 * The server's one SQLite database (`${DATA_DIR}/gridwalk.sqlite`): users, communities and
 * their grids, settings (the token secret), and the Yjs documents' update log and snapshots.
 *
 * WAL lets the admin CLI write users while the server runs. `synchronous = NORMAL` in WAL mode
 * never corrupts the file; a power cut may lose the last commits, which clients still hold in
 * IndexedDB and send again on their next sync (Yjs updates are idempotent).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;

export const DATABASE_FILE = 'gridwalk.sqlite';

/** Schema migrations, applied in order; `user_version` counts how many ran. */
const migrations = [
	`
	CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL);
	CREATE TABLE users (
		username TEXT PRIMARY KEY,
		display_name TEXT NOT NULL,
		role TEXT NOT NULL,
		scope TEXT NOT NULL,
		disabled INTEGER NOT NULL DEFAULT 0,
		password_hash TEXT NOT NULL,
		created_at TEXT NOT NULL DEFAULT (datetime('now'))
	);
	CREATE TABLE communities (id TEXT PRIMARY KEY, name TEXT NOT NULL);
	CREATE TABLE grids (
		community_id TEXT NOT NULL,
		grid_id TEXT NOT NULL,
		PRIMARY KEY (community_id, grid_id)
	);
	CREATE TABLE document_snapshots (
		name TEXT PRIMARY KEY,
		data BLOB NOT NULL,
		through INTEGER NOT NULL
	);
	CREATE TABLE document_updates (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		name TEXT NOT NULL,
		data BLOB NOT NULL
	);
	CREATE INDEX document_updates_by_name ON document_updates (name, seq);
	`,
	// Which snapshot a compaction may replace (see store/document-store.ts); rows before it count as version 1.
	`ALTER TABLE document_snapshots ADD COLUMN version INTEGER NOT NULL DEFAULT 1;`
];

/** Opens (creating if needed) the database in `dataDir` and brings its schema up to date. */
export function openDatabase(dataDir: string): Db {
	mkdirSync(dataDir, { recursive: true });
	return openDatabaseFile(join(dataDir, DATABASE_FILE));
}

/** Same as {@link openDatabase} for a file path, or `':memory:'` in tests. */
export function openDatabaseFile(file: string): Db {
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.pragma('foreign_keys = ON');
	// The admin CLI and the server may write at the same moment: wait instead of failing.
	db.pragma('busy_timeout = 5000');
	migrate(db);
	return db;
}

function migrate(db: Db): void {
	const done = db.pragma('user_version', { simple: true }) as number;
	for (let i = done; i < migrations.length; i++) {
		db.transaction(() => {
			db.exec(migrations[i]);
			db.pragma(`user_version = ${i + 1}`);
		})();
	}
}
