/**
 * In-memory {@link DocumentStore}: for tests and as the reference behaviour of the interface.
 */
import * as Y from 'yjs';
import type { DocumentStore, StoredDocument } from './document-store';

interface Entry {
	snapshot: Uint8Array | null;
	version: number;
	updates: { seq: number; data: Uint8Array }[];
}

export function createMemoryStore(): DocumentStore {
	const documents = new Map<string, Entry>();
	let lastSeq = 0;
	const entry = (name: string): Entry => {
		let found = documents.get(name);
		if (!found) documents.set(name, (found = { snapshot: null, version: 0, updates: [] }));
		return found;
	};

	return {
		async load(name): Promise<StoredDocument> {
			const found = documents.get(name);
			if (!found) return { updates: [], positions: [], snapshot: 0 };
			const updates = found.updates.map((u) => u.data.slice());
			if (found.snapshot) updates.unshift(found.snapshot.slice());
			return { updates, positions: found.updates.map((u) => u.seq), snapshot: found.version };
		},
		async append(name, update) {
			const seq = ++lastSeq;
			entry(name).updates.push({ seq, data: update.slice() });
			return seq;
		},
		async compact(name, snapshot, positions, replaces) {
			const found = entry(name);
			const merge = found.snapshot !== null && found.version !== replaces;
			found.snapshot = merge ? Y.mergeUpdates([found.snapshot!, snapshot]) : snapshot.slice();
			found.version++;
			const removed = new Set(positions);
			found.updates = found.updates.filter((u) => !removed.has(u.seq));
			return merge ? 0 : found.version;
		},
		async isEmpty() {
			return documents.size === 0;
		},
		async close() {}
	};
}
