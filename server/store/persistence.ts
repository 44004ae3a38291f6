/**
 * Hocuspocus extension that keeps documents in a {@link DocumentStore}.
 *
 * - fetch (`onLoadDocument`): apply the stored snapshot and the updates logged after it.
 * - receive: a client's update is appended by `receive` BEFORE Hocuspocus applies it and sends
 *   the client its acknowledgement (the sync server calls it from `beforeHandleMessage`, once
 *   the change passed its checks), so an acknowledged change is in the store even if the
 *   process is killed the next instant.
 * - store (`onChange`): any other change (none come from clients) is appended the moment it is
 *   applied. Not `onStoreDocument`, which would rewrite the whole document on every change.
 * - compact: after `compactEvery` appended updates, when a document unloads, at shutdown and
 *   after loading a long log, store `Y.encodeStateAsUpdate` of the live document as the
 *   snapshot and drop the logged updates it contains (one transaction in the store). It
 *   replaces the stored snapshot when the live document contains it (it loaded or stored that
 *   version), and is merged into it otherwise.
 *
 * What a compaction may drop is tracked per document object, not per name: Hocuspocus can hold
 * a document that is being unloaded while a new connection loads a fresh copy of it, and each
 * copy's snapshot contains only the updates that copy loaded or applied. A received update
 * counts as contained only once its message has been handled (applied), never while pending.
 */
import { log as logLine } from '../log';
import type { Connection, Document, Extension } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { DocumentStore } from './document-store';

export interface PersistenceOptions {
	/** Appended updates after which a loaded document is compacted. */
	compactEvery?: number;
	log?: (message: string, error?: unknown) => void;
}

interface LogState {
	/** Logged updates this document object contains: a compaction may drop them. */
	contained: Set<number>;
	/** Changes since the last compaction (stored or not: a failed append is only in memory). */
	uncompacted: number;
	/** The version of the stored snapshot this document object contains, or 0 (see DocumentStore.compact). */
	snapshot: number;
}

export function createPersistence(store: DocumentStore, options: PersistenceOptions = {}) {
	const compactEvery = options.compactEvery ?? 200;
	const log = options.log ?? logLine;
	const states = new WeakMap<Y.Doc, LogState>();
	/** The update a connection's current message was stored as, until that message is handled. */
	const received = new WeakMap<Connection, number>();
	let closed = false;

	const stateOf = (document: Y.Doc): LogState => {
		let state = states.get(document);
		if (!state) states.set(document, (state = { contained: new Set(), uncompacted: 0, snapshot: 0 }));
		return state;
	};

	async function compact(name: string, document: Y.Doc): Promise<void> {
		const state = states.get(document);
		if (closed || !state || state.uncompacted === 0) return;
		const positions = [...state.contained];
		const uncompacted = state.uncompacted;
		state.uncompacted = 0;
		try {
			state.snapshot = await store.compact(name, Y.encodeStateAsUpdate(document), positions, state.snapshot);
			for (const position of positions) state.contained.delete(position);
		} catch (error) {
			state.uncompacted += uncompacted;
			log(`[persistence] compacting ${name} failed`, error);
		}
	}

	const extension: Extension = {
		extensionName: 'GridwalkPersistence',

		async onLoadDocument({ documentName, document }) {
			const stored = await store.load(documentName);
			const unreadable = new Set<number>();
			// One transaction: one update event, one broadcast (to nobody yet).
			document.transact(() => {
				stored.updates.forEach((update, i) => {
					// Every stored update passed the checks; one that still fails must not make the
					// whole document unloadable.
					try {
						Y.applyUpdate(document, update);
					} catch (error) {
						unreadable.add(i);
						log(`[persistence] skipped an unreadable update of ${documentName}`, error);
					}
				});
			});
			const state = stateOf(document);
			// What could not be read is never dropped by a compaction: a snapshot read only in part
			// is merged into, and a logged update stays in the log (for a later version to read).
			const firstLogged = stored.updates.length - stored.positions.length;
			if (firstLogged === 0 || !unreadable.has(0)) state.snapshot = stored.snapshot;
			stored.positions.forEach((position, i) => {
				if (!unreadable.has(firstLogged + i)) state.contained.add(position);
			});
			state.uncompacted = stored.positions.length;
			// A log left long by an unclean stop is folded now, so the next load is one read.
			if (stored.positions.length > compactEvery) await compact(documentName, document);
		},

		async onChange({ documentName, document, update, transactionOrigin }) {
			if (closed) return;
			// A client's change was stored by `receive` before it was applied.
			if ((transactionOrigin as { source?: string } | undefined)?.source === 'connection') return;
			const state = stateOf(document);
			let position: number;
			try {
				position = await store.append(documentName, update);
			} catch (error) {
				// The update is still in the live document; the next compaction writes it. Never
				// rethrow: Hocuspocus does not await onChange, a rejection would crash the process.
				state.uncompacted++;
				log(`[persistence] appending to ${documentName} failed`, error);
				return;
			}
			// Counted once stored: several changes may be appending at once.
			state.contained.add(position);
			state.uncompacted++;
			if (state.uncompacted >= compactEvery) await compact(documentName, document);
		},

		async afterHandleMessage({ documentName, document, connection }) {
			const position = received.get(connection);
			if (position === undefined) return;
			received.delete(connection);
			const state = stateOf(document);
			state.contained.add(position);
			if (state.uncompacted >= compactEvery) await compact(documentName, document);
		},

		async beforeUnloadDocument({ documentName, document }) {
			await compact(documentName, document);
		}
	};

	return {
		extension,
		/**
		 * Appends a client's update to `document`'s log before it is applied and acknowledged;
		 * throws when the store cannot take it, so the client is not told it is saved.
		 */
		async receive(documentName: string, document: Y.Doc, update: Uint8Array, connection: Connection): Promise<void> {
			const position = await store.append(documentName, update);
			stateOf(document).uncompacted++;
			received.set(connection, position);
		},
		/** Compacts every loaded document, then ignores further changes: for shutdown. */
		async flush(documents: Map<string, Document>): Promise<void> {
			for (const [name, document] of documents) await compact(name, document);
			closed = true;
		}
	};
}
