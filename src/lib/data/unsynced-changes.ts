/**
 * What of a document the server has not acknowledged, as one Yjs update, and merging such an
 * update into another replica (see domain/changes-file.ts for the file around it). The server's
 * acknowledged state vector is kept per document; everything the document holds beyond it is
 * exported, so nothing unsent is missed, whatever the outbox says.
 */
import * as Y from 'yjs';

/** The changes `doc` holds beyond `acknowledged` (the whole document when nothing was acknowledged). */
export function unsyncedUpdate(doc: Y.Doc, acknowledged?: Uint8Array): Uint8Array {
	return Y.encodeStateAsUpdate(doc, acknowledged);
}

/** Whether an update carries nothing: no new content and no deletions. */
export function isEmptyUpdate(update: Uint8Array): boolean {
	const { structs, ds } = Y.decodeUpdate(update);
	return structs.length === 0 && ds.clients.size === 0;
}

/** The ids of the register events an update holds. */
export function eventIdsIn(update: Uint8Array): string[] {
	const { structs } = Y.decodeUpdate(update);
	// In a decoded update, an event (the only entry under its key) names its map by name.
	return structs.flatMap((s) => (s instanceof Y.Item && (s.parent as unknown) === 'events' && s.parentSub !== null ? [s.parentSub] : []));
}

/**
 * Merges an update into a replica. `origin` must not be the provider's, so that the provider
 * sends it on to the server. The replica must hold what the update builds on (`holds`): Yjs would otherwise keep the update
 * aside, unsaved and unsent, until the missing part arrives.
 */
export function merge(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
	Y.applyUpdate(doc, update, origin);
}

/** Whether `doc` holds everything `stateVector` covers (so an update built on it integrates at once). */
export function holds(doc: Y.Doc, stateVector: Uint8Array): boolean {
	for (const [client, clock] of Y.decodeStateVector(stateVector)) if (Y.getState(doc.store, client) < clock) return false;
	return true;
}

export function decodeStateVector(stateVector: Uint8Array): Map<number, number> {
	return Y.decodeStateVector(stateVector);
}
