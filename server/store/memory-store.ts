/**
 * In-memory {@link DocumentStore}: for tests and as the reference behaviour of the interface.
 */
import type { DocumentStore, StoredDocument } from './document-store';

interface Entry {
	snapshot: { data: Uint8Array; through: number } | null;
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
			if (!found) return { updates: [], through: 0 };
			const updates = found.updates.map((u) => u.data.slice());
			if (found.snapshot) updates.unshift(found.snapshot.data.slice());
			const through = found.updates.at(-1)?.seq ?? found.snapshot?.through ?? 0;
			return { updates, through };
		},
		async append(name, update) {
			const seq = ++lastSeq;
			entry(name).updates.push({ seq, data: update.slice() });
			return seq;
		},
		async compact(name, snapshot, through) {
			const found = entry(name);
			if (found.snapshot && found.snapshot.through >= through) return;
			found.snapshot = { data: snapshot.slice(), through };
			found.updates = found.updates.filter((u) => u.seq > through);
		},
		async isEmpty() {
			return documents.size === 0;
		},
		async close() {}
	};
}
