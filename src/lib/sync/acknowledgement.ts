/**
 * How a client learns exactly what the server holds of a document: it sends the stateless
 * message `REQUEST` and the server answers with its state vector. The server handles one
 * connection's messages in order and stores a change before applying it, so the answer covers
 * every change this connection sent before asking, and only what is stored.
 *
 * Why not the provider's count of unacknowledged updates: on reconnect it restarts at 1, so
 * acknowledgements of updates queued while offline can bring it to 0 before the server has
 * applied (or refused) the reconnect's sync step 2, and a change the server never took would
 * look saved.
 */
import { fromBase64, toBase64 } from '../domain/base64';

export const REQUEST = 'gridwalk:state-vector?';
const REPLY_PREFIX = 'gridwalk:state-vector=';

export function reply(stateVector: Uint8Array): string {
	return REPLY_PREFIX + toBase64(stateVector);
}

/** The state vector a reply carries; null for any other stateless message. */
export function parseReply(payload: string): Uint8Array | null {
	if (!payload.startsWith(REPLY_PREFIX)) return null;
	try {
		return fromBase64(payload.slice(REPLY_PREFIX.length));
	} catch {
		return null;
	}
}
