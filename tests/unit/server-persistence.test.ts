/**
 * The persistence extension, driven the way Hocuspocus drives it (load, one onChange per
 * applied update, unload), over the in-memory store.
 */
import type { Document, Extension } from '@hocuspocus/server';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentStore } from '../../server/store/document-store';
import { createMemoryStore } from '../../server/store/memory-store';
import { createPersistence } from '../../server/store/persistence';

type Hooks = Required<Pick<Extension, 'onLoadDocument' | 'onChange' | 'beforeUnloadDocument'>>;

/** A loaded document whose updates reach the extension as Hocuspocus's onChange would. */
async function open(extension: Extension, name: string) {
	const hooks = extension as Hooks;
	const document = new Y.Doc() as unknown as Document;
	await hooks.onLoadDocument({ documentName: name, document } as never);
	const changes: Promise<unknown>[] = [];
	document.on('update', (update: Uint8Array) => changes.push(hooks.onChange({ documentName: name, document, update } as never)));
	return {
		document,
		settled: () => Promise.all(changes),
		unload: () => hooks.beforeUnloadDocument({ documentName: name, document } as never)
	};
}

async function stateOf(store: DocumentStore, name: string) {
	const doc = new Y.Doc();
	for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update);
	return doc.getMap('m').toJSON();
}

describe('persistence extension', () => {
	it('appends each change, and compacts every N changes', async () => {
		const store = createMemoryStore();
		const { extension } = createPersistence(store, { compactEvery: 5 });
		const { document, settled } = await open(extension, 'd');
		for (let i = 0; i < 7; i++) document.getMap('m').set(`k${i}`, i);
		await settled();
		// 5 folded into a snapshot, 2 appended after it.
		expect((await store.load('d')).updates).toHaveLength(3);
		expect(await stateOf(store, 'd')).toEqual(document.getMap('m').toJSON());
	});

	it('compacts on unload, and a new load sees the same state', async () => {
		const store = createMemoryStore();
		const { extension } = createPersistence(store, { compactEvery: 100 });
		const first = await open(extension, 'd');
		first.document.getMap('m').set('a', 1);
		first.document.getMap('m').delete('a');
		first.document.getMap('m').set('b', 2);
		await first.settled();
		expect((await store.load('d')).updates).toHaveLength(3);
		await first.unload();
		expect((await store.load('d')).updates).toHaveLength(1);

		const second = await open(extension, 'd');
		expect(second.document.getMap('m').toJSON()).toEqual({ b: 2 });
	});

	it('keeps a change whose append failed, through the next compaction', async () => {
		const memory = createMemoryStore();
		let failNext = true;
		const flaky: DocumentStore = {
			...memory,
			append: async (name, update) => {
				if (failNext) {
					failNext = false;
					throw new Error('disk full');
				}
				return memory.append(name, update);
			}
		};
		const errors: string[] = [];
		const { extension } = createPersistence(flaky, { compactEvery: 100, log: (message) => errors.push(message) });
		const { document, settled, unload } = await open(extension, 'd');
		document.getMap('m').set('lost?', true);
		await settled();
		expect(errors).toHaveLength(1);
		await unload();
		expect(await stateOf(memory, 'd')).toEqual({ 'lost?': true });
	});

	it('flushes every loaded document at shutdown, then ignores further changes', async () => {
		const store = createMemoryStore();
		const persistence = createPersistence(store, { compactEvery: 100 });
		const a = await open(persistence.extension, 'a');
		const b = await open(persistence.extension, 'b');
		a.document.getMap('m').set('x', 1);
		a.document.getMap('m').set('y', 2);
		b.document.getMap('m').set('z', 3);
		await Promise.all([a.settled(), b.settled()]);
		await persistence.flush(
			new Map([
				['a', a.document],
				['b', b.document]
			])
		);
		expect((await store.load('a')).updates).toHaveLength(1);
		expect((await store.load('b')).updates).toHaveLength(1);
		a.document.getMap('m').set('late', true);
		await a.settled();
		expect(await stateOf(store, 'a')).toEqual({ x: 1, y: 2 });
	});

	it("stores a client's change before it is applied, and no compaction drops it while it is pending", async () => {
		const store = createMemoryStore();
		const persistence = createPersistence(store, { compactEvery: 2 });
		const hooks = persistence.extension as Required<Extension>;
		const { document, settled } = await open(persistence.extension, 'd');
		const client = new Y.Doc();
		client.getMap('m').set('from client', true);
		const connection = {} as never;

		await persistence.receive('d', document, Y.encodeStateAsUpdate(client), connection);
		// Stored, though the live document has not applied it yet: an acknowledgement may follow.
		expect(await stateOf(store, 'd')).toEqual({ 'from client': true });
		// Other changes reach the compaction threshold meanwhile: the snapshot must not cover it.
		document.getMap('m').set('local 1', 1);
		document.getMap('m').set('local 2', 2);
		await settled();
		expect(await stateOf(store, 'd')).toEqual({ 'from client': true, 'local 1': 1, 'local 2': 2 });

		Y.applyUpdate(document, Y.encodeStateAsUpdate(client), { source: 'connection', connection });
		await hooks.afterHandleMessage({ documentName: 'd', document, connection } as never);
		expect((await store.load('d')).updates).toHaveLength(1);
		expect(await stateOf(store, 'd')).toEqual({ 'from client': true, 'local 1': 1, 'local 2': 2 });
	});

	it('a copy whose compaction was merged (another copy compacted first) keeps merging: no change of the other copy is lost', async () => {
		const store = createMemoryStore();
		const { extension } = createPersistence(store, { compactEvery: 2 });
		// Hocuspocus reloads a document while its old copy is still unloading: both are live.
		const old = await open(extension, 'd');
		const reloaded = await open(extension, 'd');
		reloaded.document.getMap('m').set('only in the reloaded copy', true);
		await reloaded.settled();
		await reloaded.unload();
		// The old copy goes on: each pair of changes compacts it.
		for (let i = 0; i < 4; i++) {
			old.document.getMap('m').set(`old ${i}`, i);
			await old.settled();
		}
		expect(await stateOf(store, 'd')).toEqual({ 'only in the reloaded copy': true, 'old 0': 0, 'old 1': 1, 'old 2': 2, 'old 3': 3 });
	});

	it('a copy compacting alone replaces the snapshot with its state (no merge)', async () => {
		const store = createMemoryStore();
		const { extension } = createPersistence(store, { compactEvery: 2 });
		const { document, settled } = await open(extension, 'd');
		for (let i = 0; i < 4; i++) document.getMap('m').set(`k${i}`, i);
		await settled();
		expect((await store.load('d')).updates).toEqual([Y.encodeStateAsUpdate(document)]);
	});

	it('never drops a logged update it could not read: compactions keep it in the log', async () => {
		const store = createMemoryStore();
		const errors: string[] = [];
		const { extension } = createPersistence(store, { compactEvery: 2, log: (message) => errors.push(message) });
		const unreadable = new Uint8Array([1, 200, 7]);
		const kept = await store.append('d', unreadable);
		const { document, settled, unload } = await open(extension, 'd');
		expect(errors).toHaveLength(1);
		for (let i = 0; i < 3; i++) document.getMap('m').set(`k${i}`, i);
		await settled();
		await unload();
		const loaded = await store.load('d');
		expect(loaded.positions).toEqual([kept]);
		expect(loaded.updates.at(-1)).toEqual(unreadable);
	});
});
