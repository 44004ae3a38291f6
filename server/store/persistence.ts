/**
 * Hocuspocus extension that keeps documents in a {@link DocumentStore}.
 *
 * - fetch (`onLoadDocument`): apply the stored snapshot and the updates logged after it.
 * - store (`onChange`): append each incremental update the moment it is applied, so nothing a
 *   client was told is synced lives only in memory. Not `onStoreDocument`, which would
 *   rewrite the whole document on every (debounced) change.
 * - compact: after `compactEvery` appended updates, when a document unloads, at shutdown and
 *   after loading a long log, write `Y.encodeStateAsUpdate` of the live document as the new
 *   snapshot and drop the updates it covers (one transaction in the store).
 *
 * The live document has applied every update appended so far, so a snapshot taken from it
 * covers all positions up to the last `append` that returned.
 */
import type { Document, Extension } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { DocumentStore } from './document-store';

export interface PersistenceOptions {
	/** Appended updates after which a loaded document is compacted. */
	compactEvery?: number;
	log?: (message: string, error?: unknown) => void;
}

interface LogState {
	/** Updates in the store beyond its snapshot (or failed to append: then only in memory). */
	uncompacted: number;
	/** Highest position the live document is known to contain. */
	through: number;
}

export function createPersistence(store: DocumentStore, options: PersistenceOptions = {}) {
	const compactEvery = options.compactEvery ?? 200;
	const log = options.log ?? ((message, error) => console.error(message, error));
	const states = new Map<string, LogState>();
	let closed = false;

	async function compact(name: string, document: Y.Doc): Promise<void> {
		const state = states.get(name);
		if (closed || !state || state.uncompacted === 0) return;
		const through = state.through;
		state.uncompacted = 0;
		try {
			await store.compact(name, Y.encodeStateAsUpdate(document), through);
		} catch (error) {
			state.uncompacted++;
			log(`[persistence] compacting ${name} failed`, error);
		}
	}

	const extension: Extension = {
		extensionName: 'GridwalkPersistence',

		async onLoadDocument({ documentName, document }) {
			const stored = await store.load(documentName);
			// One transaction: one update event, one broadcast (to nobody yet).
			document.transact(() => {
				for (const update of stored.updates) Y.applyUpdate(document, update);
			});
			states.set(documentName, { uncompacted: Math.max(0, stored.updates.length - 1), through: stored.through });
			// A log left long by an unclean stop is folded now, so the next load is one read.
			if (stored.updates.length > compactEvery) await compact(documentName, document);
		},

		async onChange({ documentName, document, update }) {
			if (closed) return;
			const state = states.get(documentName) ?? { uncompacted: 0, through: 0 };
			states.set(documentName, state);
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
			state.through = Math.max(state.through, position);
			state.uncompacted++;
			if (state.uncompacted >= compactEvery) await compact(documentName, document);
		},

		async beforeUnloadDocument({ documentName, document }) {
			await compact(documentName, document);
		},

		async afterUnloadDocument({ documentName }) {
			states.delete(documentName);
		}
	};

	return {
		extension,
		/** Compacts every loaded document, then ignores further changes: for shutdown. */
		async flush(documents: Map<string, Document>): Promise<void> {
			for (const [name, document] of documents) await compact(name, document);
			closed = true;
		}
	};
}
