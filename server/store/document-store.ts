/**
 * Where Yjs documents are kept: an append-only log of updates per document, folded now and
 * then into one merged snapshot.
 *
 * Invariant: the state of a document is the merge of everything `load` returns; `append` and
 * `compact` never lose an update. Positions (`through`) grow across the whole store, so a
 * snapshot taken "through position N" covers exactly the updates appended at or before N.
 * A compaction older than the snapshot already stored is ignored, so two compactions that
 * finish out of order cannot replace a newer snapshot with an older one.
 *
 * Every implementation passes tests/unit/server-document-store.test.ts.
 */

export interface StoredDocument {
	/** The snapshot (if any) first, then the updates appended after it, oldest first. */
	updates: Uint8Array[];
	/** Position of the last update included (0 for a document never stored). */
	through: number;
}

export interface DocumentStore {
	/** Everything stored for `name`; no updates for an unknown document. */
	load(name: string): Promise<StoredDocument>;
	/** Appends one Yjs update to the document's log and returns its position. */
	append(name: string, update: Uint8Array): Promise<number>;
	/**
	 * Atomically replaces the snapshot and every update at or before `through` by `snapshot`,
	 * which must contain them all (for example `Y.encodeStateAsUpdate` of a document that has
	 * applied them, or `Y.mergeUpdates` of them). Ignored when an equally recent or newer
	 * snapshot is already stored.
	 */
	compact(name: string, snapshot: Uint8Array, through: number): Promise<void>;
	/** Whether no document has been stored yet. */
	isEmpty(): Promise<boolean>;
	close(): Promise<void>;
}
