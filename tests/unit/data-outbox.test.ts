/**
 * The outbox after a tab died between storing a row and writing its event: the row goes at the
 * next start; rows of events the documents hold, and of documents not on the device, stay.
 */
import 'fake-indexeddb/auto';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { LocalDb } from '$lib/data/local-db';
import { dropPhantomRows } from '$lib/data/outbox';
import * as register from '$lib/data/register-doc';
import { visit } from '../fixtures/events';

let db: LocalDb | undefined;
afterEach(async () => {
	await db?.delete();
});

test('drops rows whose event no document holds, and only those', async () => {
	db = new LocalDb(`outbox-test-${Math.random()}`);
	const g01 = new Y.Doc();
	register.change(g01, (w) => w.append(visit({ id: 'written', entity: 'b1-1-101', outcome: 'done' })));
	await db.outbox.bulkPut([
		{ eventId: 'written', doc: 'c1/register/g01', createdAt: 1 },
		{ eventId: 'never-written', doc: 'c1/register/g01', createdAt: 2 },
		{ eventId: 'of-a-grid-no-longer-mine', doc: 'c1/register/g09', createdAt: 3 }
	]);

	expect(await dropPhantomRows(db, new Map([['c1/register/g01', g01]]))).toBe(1);
	expect((await db.outbox.toArray()).map((row) => row.eventId).sort()).toEqual(['of-a-grid-no-longer-mine', 'written']);
	expect(await dropPhantomRows(db, new Map([['c1/register/g01', g01]]))).toBe(0);
});
