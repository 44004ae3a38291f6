/**
 * The device's own IndexedDB database (Dexie): the signed-in session, the outbox of events not
 * yet acknowledged by the server, small settings, and projections that lists and the home screen
 * read.
 * Projections are rebuilt from the Yjs documents, never the other way round.
 */
import { Dexie, type Table } from 'dexie';
import type { DocumentGrant, User } from '../domain/access';
import type { SearchRecord } from '../domain/search';
import type { GridProgress } from './projections';

export interface SessionRow {
	key: 'current';
	token: string;
	user: User;
	documents: DocumentGrant[];
	signedInAt: number;
}

export interface OutboxRow {
	eventId: string;
	/** Sync document the event was written to. */
	doc: string;
	createdAt: number;
}

/** One resident as search reads them (see resident-projection.ts): what search matches, plus where they live. */
export interface ResidentRow extends SearchRecord {
	/** The member id. */
	id: string;
	householdId: string;
	doorId: string;
	gridId: string;
	/** The ID number masked for display; the full number never enters this table. */
	idMasked?: string;
}

/** What a form held when the tab went away, so nothing typed is lost. */
export interface DraftRow {
	/** Form and record, e.g. `member:h-cp1-b1-1-502:m3`. */
	key: string;
	value: unknown;
	savedAt: number;
}

export interface SettingRow {
	key: string;
	value: unknown;
}

export class LocalDb extends Dexie {
	session!: Table<SessionRow, string>;
	outbox!: Table<OutboxRow, string>;
	settings!: Table<SettingRow, string>;
	residents!: Table<ResidentRow, string>;
	drafts!: Table<DraftRow, string>;
	gridProgress!: Table<GridProgress, string>;

	constructor(name = 'gridwalk') {
		super(name);
		this.version(1).stores({
			session: 'key',
			outbox: 'eventId, doc',
			doors: 'id, gridId, buildingId',
			settings: 'key'
		});
		this.version(2).stores({
			residents: 'id, gridId, householdId',
			drafts: 'key'
		});
		// Door rows are derived in memory now: writing them only slowed the first sync.
		this.version(3).stores({ doors: null });
		this.version(4).stores({ gridProgress: 'gridId' });
	}
}

export async function getSetting<T>(db: LocalDb, key: string): Promise<T | undefined> {
	return (await db.settings.get(key))?.value as T | undefined;
}

export async function putSetting(db: LocalDb, key: string, value: unknown): Promise<void> {
	await db.settings.put({ key, value });
}
