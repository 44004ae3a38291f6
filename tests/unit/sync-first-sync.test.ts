/**
 * A document's first sync is applied from the server's bytes and its update listeners (y-indexeddb,
 * the provider, the app) are handed those bytes; every other message is left to the provider.
 */
import { describe, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MessageType } from '@hocuspocus/provider';
import { messageYjsSyncStep1, messageYjsSyncStep2 } from 'y-protocols/sync';
import { applyAsReceived, emptyServerState, holdsNothing, serverStateIn } from '$lib/sync/first-sync';

function serverDoc(): Y.Doc {
	const doc = new Y.Doc();
	const households = doc.getMap('households');
	for (let i = 0; i < 50; i++) households.set(`h${i}`, { id: `h${i}`, members: [{ id: 'm1', name: `王${i}` }] });
	households.delete('h3');
	return doc;
}

function message(routingKey: string, type: number, syncType: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, routingKey);
	encoding.writeVarUint(encoder, type);
	encoding.writeVarUint(encoder, syncType);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

describe('first sync', () => {
	test('reads the server’s state out of a sync step 2, and nothing out of other messages', () => {
		const update = Y.encodeStateAsUpdate(serverDoc());
		expect(serverStateIn(message('c1/register/g01', MessageType.Sync, messageYjsSyncStep2, update))).toEqual({
			routingKey: 'c1/register/g01',
			update
		});
		expect(serverStateIn(message('c1/register/g01', MessageType.Sync, messageYjsSyncStep1, new Uint8Array([0])))).toBeUndefined();
		expect(serverStateIn(message('c1/register/g01', MessageType.Auth, 0, new Uint8Array()))).toBeUndefined();
		expect(serverStateIn(new Uint8Array([200]))).toBeUndefined();
		expect(serverStateIn(emptyServerState('c1/index'))).toEqual({ routingKey: 'c1/index', update: new Uint8Array([0, 0]) });
	});

	test('the listeners get the bytes received, the document the server’s content, and later changes are encoded as before', () => {
		const server = serverDoc();
		const update = Y.encodeStateAsUpdate(server);
		const doc = new Y.Doc();
		const received: { update: Uint8Array; origin: unknown }[] = [];
		doc.on('update', (u: Uint8Array, origin: unknown) => received.push({ update: u, origin }));
		const origin = { provider: true };
		expect(holdsNothing(doc)).toBe(true);

		applyAsReceived(doc, update, origin);

		expect(received).toEqual([{ update, origin }]);
		expect(received[0].update).toBe(update);
		expect(doc.getMap('households').toJSON()).toEqual(server.getMap('households').toJSON());
		expect(holdsNothing(doc)).toBe(false);
		// Still listening: a change made here reaches the listeners, as Yjs encodes it.
		doc.getMap('households').set('h99', { id: 'h99', members: [] });
		expect(received).toHaveLength(2);
		const reloaded = new Y.Doc();
		for (const r of received) Y.applyUpdate(reloaded, r.update);
		expect(reloaded.getMap('households').toJSON()).toEqual(doc.getMap('households').toJSON());
	});

	test('an update that cannot be read stores nothing, throws nothing, and leaves the listeners in place', () => {
		const update = Y.encodeStateAsUpdate(serverDoc());
		const doc = new Y.Doc();
		const listener = vi.fn();
		doc.on('update', listener);
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});

		applyAsReceived(doc, update.slice(0, update.length / 2), {});

		expect(error).toHaveBeenCalled();
		error.mockRestore();
		expect(listener).not.toHaveBeenCalled();
		expect(holdsNothing(doc)).toBe(true);
		doc.getMap('households').set('h1', { id: 'h1' });
		expect(listener).toHaveBeenCalledTimes(1);
	});

	test('changes that wait for ones they build on are kept too: the document then holds them and they are passed on', () => {
		const server = serverDoc();
		const before = Y.encodeStateVector(server);
		server.getMap('households').set('h100', { id: 'h100', members: [] });
		// Only the latest change, without the ones it builds on.
		const later = Y.encodeStateAsUpdate(server, before);
		const doc = new Y.Doc();
		const listener = vi.fn();
		doc.on('update', listener);

		applyAsReceived(doc, later, {});

		expect(holdsNothing(doc)).toBe(false);
		expect(listener).toHaveBeenCalledWith(later, {}, doc, expect.anything());
	});

	test('a change an observer makes while the state is applied is passed on too, with its own origin', () => {
		const update = Y.encodeStateAsUpdate(serverDoc());
		const doc = new Y.Doc();
		const households = doc.getMap('households');
		const seen = doc.getMap('seen');
		households.observe(() => {
			if (!seen.has('households')) doc.transact(() => seen.set('households', true), 'observer');
		});
		const received: { update: Uint8Array; origin: unknown }[] = [];
		doc.on('update', (u: Uint8Array, origin: unknown) => received.push({ update: u, origin }));

		applyAsReceived(doc, update, 'server');

		expect(received.map((r) => r.origin)).toEqual(['server', 'observer']);
		const reloaded = new Y.Doc();
		for (const r of received) Y.applyUpdate(reloaded, r.update);
		expect(reloaded.getMap('seen').toJSON()).toEqual({ households: true });
		expect(reloaded.getMap('households').toJSON()).toEqual(households.toJSON());
	});

	test('a listener that throws does not keep the others from the update', () => {
		const doc = new Y.Doc();
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const second = vi.fn();
		doc.on('update', () => {
			throw new Error('database closed');
		});
		doc.on('update', second);

		applyAsReceived(doc, Y.encodeStateAsUpdate(serverDoc()), {});

		expect(second).toHaveBeenCalledTimes(1);
		expect(error).toHaveBeenCalled();
		error.mockRestore();
	});
});
