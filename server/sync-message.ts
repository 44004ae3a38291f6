/**
 * Reads the Yjs update out of a Hocuspocus protocol message, for the checks that must see a
 * client's change before Hocuspocus applies it. Layout (Hocuspocus 4, y-protocols): document
 * name, message type (0 = sync), sync type (1 = step 2, 2 = update), then the update.
 */
import * as decoding from 'lib0/decoding';

const MESSAGE_SYNC = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** The update a sync-step-2 or update message carries; null for every other message. */
export function syncUpdateOf(message: Uint8Array): Uint8Array | null {
	const decoder = decoding.createDecoder(message);
	decoding.readVarString(decoder);
	if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null;
	const syncType = decoding.readVarUint(decoder);
	if (syncType !== SYNC_STEP_2 && syncType !== SYNC_UPDATE) return null;
	return decoding.readVarUint8Array(decoder);
}
