/**
 * A bare Hocuspocus protocol client for tests that must know exactly which change the server
 * acknowledged: it sends one update per message, and the server answers every update message
 * with one sync status, in order, so the n-th status belongs to the n-th update. Also the way
 * to send what a well-behaved provider never would.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { waitFor } from './clients';

const MESSAGE = { sync: 0, auth: 2, close: 7, syncStatus: 8 } as const;
const SYNC = { step1: 0, step2: 1, update: 2 } as const;
const AUTH = { token: 0, permissionDenied: 1, authenticated: 2 } as const;

export function frame(documentName: string, write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, documentName);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

export const authFrame = (documentName: string, token: string) =>
	frame(documentName, (e) => {
		encoding.writeVarUint(e, MESSAGE.auth);
		encoding.writeVarUint(e, AUTH.token);
		encoding.writeVarString(e, token);
	});

export const syncFrame = (documentName: string, type: keyof typeof SYNC, payload: Uint8Array) =>
	frame(documentName, (e) => {
		encoding.writeVarUint(e, MESSAGE.sync);
		encoding.writeVarUint(e, SYNC[type]);
		encoding.writeVarUint8Array(e, payload);
	});

export interface RawSyncClient {
	/** Sync statuses received, in order: true = stored and applied, false = not. */
	acks: boolean[];
	/** The reason of the server's close message for the document, once it sent one. */
	closeReason(): string | undefined;
	sendUpdate(update: Uint8Array): void;
	sendStep2(update: Uint8Array): void;
	socketOpen(): boolean;
	close(): void;
}

/** Opens a socket, authenticates for one document, and resolves once the server accepted. */
export async function openRaw(syncUrl: string, documentName: string, token: string): Promise<RawSyncClient> {
	const socket = new WebSocket(syncUrl);
	socket.binaryType = 'nodebuffer';
	const acks: boolean[] = [];
	let authenticated = false;
	let denied: string | undefined;
	let closeReason: string | undefined;
	socket.on('message', (data: Buffer) => {
		const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		decoding.readVarString(decoder);
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE.syncStatus) acks.push(decoding.readVarInt(decoder) === 1);
		else if (type === MESSAGE.close) closeReason = decoding.readVarString(decoder);
		else if (type === MESSAGE.auth) {
			const authType = decoding.readVarUint(decoder);
			if (authType === AUTH.authenticated) authenticated = true;
			if (authType === AUTH.permissionDenied) denied = decoding.readVarString(decoder);
		}
	});
	socket.on('error', () => {});
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
	});
	socket.send(authFrame(documentName, token));
	await waitFor(`${documentName} to authenticate`, () => authenticated || denied !== undefined);
	if (denied !== undefined) {
		socket.terminate();
		throw new Error(`${documentName} refused: ${denied}`);
	}
	return {
		acks,
		closeReason: () => closeReason,
		sendUpdate: (update) => socket.send(syncFrame(documentName, 'update', update)),
		sendStep2: (update) => socket.send(syncFrame(documentName, 'step2', update)),
		socketOpen: () => socket.readyState === WebSocket.OPEN,
		close: () => socket.terminate()
	};
}
