/**
 * In-memory {@link DocumentStore}: for tests and as the reference behaviour of the interface.
 */
import * as Y from 'yjs';
import type { DocumentStore, StoredDocument } from './document-store';

interface Entry {
	snapshot: Uint8Array | null;
	updates: { seq: number; data: Uint8Array }[];
}

export function createMemoryStore(): DocumentStore {
	const documents = new Map<string, Entry>();
	let lastSeq = 0;
	const entry = (name: string): Entry => {
		let found = documents.get(name);
		if (!found) documents.set(name, (found = { snapshot: null, updates: [] }));
		return found;
	};

	return {
		async load(name): Promise<StoredDocument> {
			const found = documents.get(name);
			if (!found) return { updates: [], positions: [] };
			const updates = found.updates.map((u) => u.data.slice());
			if (found.snapshot) updates.unshift(found.snapshot.slice());
			return { updates, positions: found.updates.map((u) => u.seq) };
		},
		async append(name, update) {
			const seq = ++lastSeq;
			entry(name).updates.push({ seq, data: update.slice() });
			return seq;
		},
		async compact(name, snapshot, positions) {
			const found = entry(name);
			found.snapshot = found.snapshot ? Y.mergeUpdates([found.snapshot, snapshot]) : snapshot.slice();
			const removed = new Set(positions);
			found.updates = found.updates.filter((u) => !removed.has(u.seq));
		},
		async isEmpty() {
			return documents.size === 0;
		},
		async close() {}
	};
}
