/**
 * A sync client that does not wait to be let in: it sends its token and a document update in
 * one burst, as a program bypassing `@hocuspocus/provider` could (the provider itself sends
 * nothing until the token is accepted). What the server does with an update that arrives
 * before its verdict on the token is what a refused client's write tests.
 *
 * Frames are the Hocuspocus protocol: [document name][message type][payload], lib0-encoded.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';

const SYNC = 0;
const AUTH = 2;
const SYNC_STATUS = 8;
const AUTH_TOKEN = 0;
const AUTH_PERMISSION_DENIED = 1;
const AUTH_AUTHENTICATED = 2;

export interface EagerAnswer {
	/** Why the token was refused, when it was. */
	refusal?: string;
	/** `read-write` or `readonly` when the token was accepted. */
	scope?: string;
	/** Whether the server applied the update, when it said (only to an accepted token). */
	applied?: boolean;
	/** Sync (document data) messages the server sent. */
	syncMessages: number;
}

function frame(documentName: string, type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, documentName);
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

/**
 * Sends `token` and then `update` for `documentName` without waiting in between, and resolves
 * once the server has judged both: on a refusal, or on its answer to the update.
 */
export function sendUpdateWithToken(
	syncUrl: string,
	documentName: string,
	token: string,
	update: Uint8Array,
	timeoutMs = 10_000
): Promise<EagerAnswer> {
	const socket = new WebSocket(syncUrl);
	const answer: EagerAnswer = { syncMessages: 0 };
	return new Promise<EagerAnswer>((resolve, reject) => {
		const timer = setTimeout(() => finish(new Error(`no verdict on ${documentName} in ${timeoutMs} ms`)), timeoutMs);
		function finish(error?: Error) {
			clearTimeout(timer);
			socket.terminate();
			if (error) reject(error);
			else resolve(answer);
		}
		socket.on('error', (error) => finish(error));
		socket.on('open', () => {
			socket.send(
				frame(documentName, AUTH, (encoder) => {
					encoding.writeVarUint(encoder, AUTH_TOKEN);
					encoding.writeVarString(encoder, token);
				})
			);
			socket.send(frame(documentName, SYNC, (encoder) => syncProtocol.writeUpdate(encoder, update)));
		});
		socket.on('message', (data: Buffer) => {
			const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
			decoding.readVarString(decoder);
			const type = decoding.readVarUint(decoder);
			if (type === SYNC) answer.syncMessages++;
			if (type === AUTH) {
				const kind = decoding.readVarUint(decoder);
				if (kind === AUTH_PERMISSION_DENIED) {
					answer.refusal = decoding.readVarString(decoder);
					finish();
				}
				if (kind === AUTH_AUTHENTICATED) answer.scope = decoding.readVarString(decoder);
			}
			// The only update this client sends is the one above, so the first status is its answer.
			if (type === SYNC_STATUS) {
				answer.applied = decoding.readVarInt(decoder) === 1;
				finish();
			}
		});
	});
}
