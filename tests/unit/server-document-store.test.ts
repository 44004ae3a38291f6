/**
 * One conformance suite for every DocumentStore (STYLE.md habit 7): the in-memory reference and
 * the SQLite store must behave the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabaseFile, type Db } from '../../server/db';
import type { DocumentStore } from '../../server/store/document-store';
import { createMemoryStore } from '../../server/store/memory-store';
import { createSqliteStore } from '../../server/store/sqlite-store';

interface Harness {
	store: DocumentStore;
	close(): Promise<void>;
}

const implementations: [string, () => Harness][] = [
	['memory', () => ({ store: createMemoryStore(), close: async () => {} })],
	[
		'sqlite',
		() => {
			const db: Db = openDatabaseFile(':memory:');
			const store = createSqliteStore(db);
			return {
				store,
				close: async () => {
					await store.close();
					db.close();
				}
			};
		}
	]
];

/** Applies what the store returns to a fresh document. */
async function loadDoc(store: DocumentStore, name: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update);
	return doc;
}

/** A document whose every transaction is appended to the store, as the server does. */
function recordedDoc(store: DocumentStore, name: string) {
	const doc = new Y.Doc();
	const appended: Promise<number>[] = [];
	doc.on('update', (update: Uint8Array) => appended.push(store.append(name, update)));
	/** Positions of everything appended so far. */
	return { doc, settled: () => Promise.all(appended) };
}

describe.each(implementations)('DocumentStore conformance: %s', (_name, make) => {
	let harness: Harness;
	afterEach(async () => harness?.close());

	it('returns nothing for an unknown document and is empty at first', async () => {
		harness = make();
		expect(await harness.store.load('c1/index')).toEqual({ updates: [], positions: [], snapshot: 0 });
		expect(await harness.store.isEmpty()).toBe(true);
	});

	it('returns appended updates in order, with increasing positions', async () => {
		harness = make();
		const { store } = harness;
		const a = await store.append('d', new Uint8Array([1]));
		const b = await store.append('d', new Uint8Array([2]));
		expect(b).toBeGreaterThan(a);
		const loaded = await store.load('d');
		expect(loaded.updates.map((u) => [...u])).toEqual([[1], [2]]);
		expect(loaded.positions).toEqual([a, b]);
		expect(await store.isEmpty()).toBe(false);
	});

	it('keeps documents apart', async () => {
		harness = make();
		const { store } = harness;
		await store.append('a', new Uint8Array([1]));
		await store.append('b', new Uint8Array([2]));
		expect((await store.load('a')).updates.map((u) => [...u])).toEqual([[1]]);
		expect((await store.load('b')).updates.map((u) => [...u])).toEqual([[2]]);
	});

	it('does not let a caller change stored bytes through a returned or given array', async () => {
		harness = make();
		const { store } = harness;
		const update = new Uint8Array([7]);
		await store.append('d', update);
		update[0] = 9;
		(await store.load('d')).updates[0][0] = 8;
		expect([...(await store.load('d')).updates[0]]).toEqual([7]);
	});

	it('rebuilds the same Yjs state from the log, and after compaction from the snapshot', async () => {
		harness = make();
		const { store } = harness;
		const { doc, settled } = recordedDoc(store, 'c1/register/g01');
		const map = doc.getMap('events');
		for (let i = 0; i < 20; i++) map.set(`e${i}`, { i });
		map.delete('e3');
		const positions = await settled();

		const fromLog = await loadDoc(store, 'c1/register/g01');
		expect(fromLog.getMap('events').toJSON()).toEqual(map.toJSON());

		await store.compact('c1/register/g01', Y.encodeStateAsUpdate(doc), positions);
		const loaded = await store.load('c1/register/g01');
		expect(loaded.updates).toHaveLength(1);
		expect(loaded.positions).toEqual([]);
		expect((await loadDoc(store, 'c1/register/g01')).getMap('events').toJSON()).toEqual(map.toJSON());
	});

	it('keeps the logged updates a compaction does not name', async () => {
		harness = make();
		const { store } = harness;
		const { doc, settled } = recordedDoc(store, 'd');
		doc.getMap('m').set('before', 1);
		const covered = await settled();
		const snapshot = Y.encodeStateAsUpdate(doc);
		doc.getMap('m').set('after', 2);
		const all = await settled();

		await store.compact('d', snapshot, covered);
		const loaded = await store.load('d');
		expect(loaded.updates).toHaveLength(2);
		expect(loaded.positions).toEqual(all.slice(covered.length));
		expect((await loadDoc(store, 'd')).getMap('m').toJSON()).toEqual({ before: 1, after: 2 });
	});

	it('loses nothing when two copies of a document compact, in either order', async () => {
		harness = make();
		const { store } = harness;
		// Two copies loaded from the same store, each applying a change the other never sees
		// (what Hocuspocus does when a document is reloaded while its old copy is unloading).
		const { doc: first, settled: firstSettled } = recordedDoc(store, 'd');
		const { doc: second, settled: secondSettled } = recordedDoc(store, 'd');
		first.getMap('m').set('only in first', 1);
		second.getMap('m').set('only in second', 2);
		const firstPositions = await firstSettled();
		const secondPositions = await secondSettled();

		await store.compact('d', Y.encodeStateAsUpdate(second), secondPositions);
		await store.compact('d', Y.encodeStateAsUpdate(first), firstPositions);
		expect((await store.load('d')).positions).toEqual([]);
		expect((await loadDoc(store, 'd')).getMap('m').toJSON()).toEqual({ 'only in first': 1, 'only in second': 2 });
	});

	it('accepts a first snapshot at position 0 (a seeded document) and appends after it', async () => {
		harness = make();
		const { store } = harness;
		const seed = new Y.Doc();
		seed.getMap('m').set('seeded', true);
		await store.compact('d', Y.encodeStateAsUpdate(seed), []);
		const { doc, settled } = recordedDoc(store, 'd');
		Y.applyUpdate(doc, (await store.load('d')).updates[0]);
		doc.getMap('m').set('edited', true);
		await settled();
		expect((await loadDoc(store, 'd')).getMap('m').toJSON()).toEqual({ seeded: true, edited: true });
		expect(await store.isEmpty()).toBe(false);
	});

	it('a snapshot that names the stored version replaces it as given; one that names another is merged, and says so', async () => {
		harness = make();
		const { store } = harness;
		const seed = new Y.Doc();
		seed.getMap('m').set('seeded', true);
		const seeded = await store.compact('d', Y.encodeStateAsUpdate(seed), []);
		expect(seeded).toBeGreaterThan(0);
		const loaded = await store.load('d');
		expect(loaded.snapshot).toBe(seeded);

		// A copy that loaded the seed compacts: its state replaces the seed, byte for byte.
		const { doc: first, settled: firstSettled } = recordedDoc(store, 'd');
		Y.applyUpdate(first, loaded.updates[0]);
		first.getMap('m').set('first', 1);
		const firstState = Y.encodeStateAsUpdate(first);
		const replaced = await store.compact('d', firstState, await firstSettled(), seeded);
		expect(replaced).toBeGreaterThan(seeded);
		expect((await store.load('d')).updates).toEqual([firstState]);

		// Another copy, still on the seed, compacts after it: merged, so the first copy's change stays.
		const { doc: second, settled: secondSettled } = recordedDoc(store, 'd');
		Y.applyUpdate(second, loaded.updates[0]);
		second.getMap('m').set('second', 2);
		expect(await store.compact('d', Y.encodeStateAsUpdate(second), await secondSettled(), seeded)).toBe(0);
		expect((await loadDoc(store, 'd')).getMap('m').toJSON()).toEqual({ seeded: true, first: 1, second: 2 });
		// Nothing can replace the merged snapshot on the strength of a version it was never given.
		expect(await store.compact('d', Y.encodeStateAsUpdate(second), [], 0)).toBe(0);
		expect((await loadDoc(store, 'd')).getMap('m').toJSON()).toEqual({ seeded: true, first: 1, second: 2 });
	});
});
