/**
 * The outbox: ids of events written on this device that the server has not acknowledged yet,
 * counted on screen as 待同步. A row is stored before its event is written to the document, so
 * the count is never too low; this module keeps it from staying too high.
 */
import type * as Y from 'yjs';
import type { LocalDb } from './local-db';
import * as register from './register-doc';

/**
 * Drops the rows whose event is in none of the documents read from this device: the tab died
 * after storing the row and before the document (or its own storage) took the event. Nothing is
 * lost by it, since a row holds no content, and an event the server did receive comes back with
 * the next sync. Rows of documents not given (no longer this user's) are left alone.
 */
export async function dropPhantomRows(db: LocalDb, documents: ReadonlyMap<string, Y.Doc>): Promise<number> {
	return db.transaction('rw', db.outbox, async () => {
		const phantoms = (await db.outbox.toArray()).filter((row) => {
			const doc = documents.get(row.doc);
			return doc !== undefined && !register.hasEvent(doc, row.eventId);
		});
		await db.outbox.bulkDelete(phantoms.map((row) => row.eventId));
		return phantoms.length;
	});
}
