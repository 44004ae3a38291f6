/**
 * Where Yjs documents are kept: an append-only log of updates per document, folded now and
 * then into one merged snapshot.
 *
 * Invariant: the state of a document is the merge of everything `load` returns; `append` and
 * `compact` never lose an update. A compaction names exactly the logged updates its snapshot
 * contains, and replaces the stored snapshot only if it names the version its snapshot
 * contains; otherwise it merges into it. So two compactions of different copies of a document
 * (Hocuspocus can briefly hold a document being unloaded and its reloaded copy) cannot drop
 * what only the other one had, and a copy compacting alone does not pay for a merge (decoding
 * both snapshots: ~3/4 of a compaction's time, and compactions stall every socket).
 *
 * Every implementation passes tests/unit/server-document-store.test.ts.
 */

export interface StoredDocument {
	/** The snapshot (if any) first, then the logged updates, oldest first. */
	updates: Uint8Array[];
	/** Positions of the logged updates (not the snapshot), in the same order. */
	positions: number[];
	/** The version of the snapshot `updates` starts with; 0 when there is none. */
	snapshot: number;
}

export interface DocumentStore {
	/** Everything stored for `name`; no updates for an unknown document. */
	load(name: string): Promise<StoredDocument>;
	/** Appends one Yjs update to the document's log and returns its position. */
	append(name: string, update: Uint8Array): Promise<number>;
	/**
	 * Atomically stores `snapshot` and removes the logged updates at `positions`, which `snapshot`
	 * must contain (for example `Y.encodeStateAsUpdate` of a document that has applied them).
	 * If the stored snapshot is the version `replaces` names (one `snapshot` contains: its
	 * document loaded it, or it is what a compaction of that document stored), `snapshot`
	 * replaces it; otherwise it is merged into it. Returns the version of the snapshot now
	 * stored if that is exactly `snapshot`, or 0 if it was merged (so nothing can replace it
	 * on the strength of this compaction).
	 */
	compact(name: string, snapshot: Uint8Array, positions: readonly number[], replaces?: number): Promise<number>;
	/** Whether no document has been stored yet. */
	isEmpty(): Promise<boolean>;
	close(): Promise<void>;
}
