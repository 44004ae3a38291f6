/**
 * A document's first sync, stored as it arrived.
 *
 * Yjs encodes every change applied to a document again for the document's `update` event, which
 * y-indexeddb stores and the Hocuspocus provider listens to. On a device's first sync the change
 * is the server's whole document: encoding it again, only to store what the server just sent,
 * was a third of applying it (~0.2 s of a coordinator's first sign-in). So a document that holds
 * nothing is given the server's state with its update listeners set aside, and they are then
 * handed the bytes received. Documents that hold something sync the usual way: what the server
 * sends them may repeat what they have, and Yjs's encoding leaves that out.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from '@hocuspocus/provider';
import { messageYjsSyncStep2 } from 'y-protocols/sync';

/** Whether a document holds nothing, not even changes waiting for ones they build on. */
export function holdsNothing(doc: Y.Doc): boolean {
	const { store } = doc;
	return store.clients.size === 0 && store.pendingStructs === null && store.pendingDs === null;
}

/** The server's state of a document, if the Hocuspocus message is a sync step 2 carrying it. */
export function serverStateIn(message: Uint8Array): { routingKey: string; update: Uint8Array } | undefined {
	try {
		const decoder = decoding.createDecoder(message);
		const routingKey = decoding.readVarString(decoder);
		if (decoding.readVarUint(decoder) !== MessageType.Sync) return undefined;
		if (decoding.readVarUint(decoder) !== messageYjsSyncStep2) return undefined;
		return { routingKey, update: decoding.readVarUint8Array(decoder) };
	} catch {
		// Not one we can read: the provider deals with it as with any other.
		return undefined;
	}
}

/** An update carrying nothing: no structs, no deletions. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** The same sync step 2 with nothing in it: tells the provider the server answered, without applying its state twice. */
export function emptyServerState(routingKey: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, routingKey);
	encoding.writeVarUint(encoder, MessageType.Sync);
	encoding.writeVarUint(encoder, messageYjsSyncStep2);
	encoding.writeVarUint8Array(encoder, EMPTY_UPDATE);
	return encoding.toUint8Array(encoder);
}

/**
 * Applies the server's state to a document that holds nothing, then calls the document's update
 * listeners with the bytes received, as Yjs would with its encoding of them. If the update cannot
 * be applied whole, they get what was applied, encoded by Yjs: nothing that fails to load is stored.
 * A change an observer makes while the state is applied (Yjs runs it as a transaction of its own)
 * is passed on after it, with its own origin, so it is stored and sent like any other.
 */
export function applyAsReceived(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
	const listeners: Set<(...args: unknown[]) => void> = doc._observers.get('update') ?? new Set();
	doc._observers.delete('update');
	let applying: Y.Transaction | undefined;
	const madeMeanwhile: Y.Transaction[] = [];
	const collect = (t: Y.Transaction) => void (t !== applying && madeMeanwhile.push(t));
	doc.on('afterTransaction', collect);
	let received = update;
	try {
		Y.transact(doc, (t) => ((applying = t), Y.applyUpdate(doc, update, origin)), origin);
	} catch (error) {
		console.error('the server’s state of a document could not be applied whole', error);
		received = Y.encodeStateAsUpdate(doc);
	} finally {
		doc.off('afterTransaction', collect);
		// A listener added while applying (none is expected) stays, after the others.
		const added = doc._observers.get('update') ?? [];
		const all = new Set([...listeners, ...added]);
		if (all.size > 0) doc._observers.set('update', all);
	}
	if (holdsNothing(doc)) return;
	const updates: [Uint8Array, unknown, Y.Transaction | undefined][] = [[received, origin, applying]];
	// Everything since the observer's transaction began: a superset of its change, harmless to store or send.
	for (const t of madeMeanwhile) updates.push([Y.encodeStateAsUpdate(doc, Y.encodeStateVector(t.beforeState)), t.origin, t]);
	for (const [bytes, from, t] of updates)
		for (const listener of listeners) {
			// As y-protocols does for the provider's own apply: one failing listener does not stop the others.
			try {
				listener(bytes, from, doc, t);
			} catch (error) {
				console.error('an update listener failed', error);
			}
		}
}
