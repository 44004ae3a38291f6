/**
 * Where Yjs documents are kept: an append-only log of updates per document, folded now and
 * then into one merged snapshot.
 *
 * Invariant: the state of a document is the merge of everything `load` returns; `append` and
 * `compact` never lose an update. A compaction names exactly the logged updates its snapshot
 * contains and merges the snapshot into the stored one, so two compactions of different copies
 * of a document (Hocuspocus can briefly hold a document being unloaded and its reloaded copy)
 * cannot drop what only the other one had.
 *
 * Every implementation passes tests/unit/server-document-store.test.ts.
 */

export interface StoredDocument {
	/** The snapshot (if any) first, then the logged updates, oldest first. */
	updates: Uint8Array[];
	/** Positions of the logged updates (not the snapshot), in the same order. */
	positions: number[];
}

export interface DocumentStore {
	/** Everything stored for `name`; no updates for an unknown document. */
	load(name: string): Promise<StoredDocument>;
	/** Appends one Yjs update to the document's log and returns its position. */
	append(name: string, update: Uint8Array): Promise<number>;
	/**
	 * Atomically merges `snapshot` into the stored snapshot and removes the logged updates at
	 * `positions`, which `snapshot` must contain (for example `Y.encodeStateAsUpdate` of a
	 * document that has applied them).
	 */
	compact(name: string, snapshot: Uint8Array, positions: readonly number[]): Promise<void>;
	/** Whether no document has been stored yet. */
	isEmpty(): Promise<boolean>;
	close(): Promise<void>;
}
