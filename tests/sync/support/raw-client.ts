/**
 * Bare Hocuspocus protocol clients ([document name][message type][payload], lib0-encoded) for
 * tests that must control every frame:
 * - `openRaw` knows exactly which change the server acknowledged: it sends one update per
 *   message, and the server answers every update message with one sync status, in order, so the
 *   n-th status belongs to the n-th update;
 * - `sendUpdateWithToken` does not wait to be let in, as a program bypassing the provider could
 *   (the provider sends nothing until its token is accepted);
 * - `openSocket` sends whatever it is given and records what comes back, for hostile clients.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { waitFor } from './clients';

const MESSAGE = { sync: 0, awareness: 1, auth: 2, stateless: 5, close: 7, syncStatus: 8 } as const;
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

/** An awareness message carrying `bytes` of state (not a valid awareness update: the size is what matters). */
export const awarenessFrame = (documentName: string, bytes: number) =>
	frame(documentName, (e) => {
		encoding.writeVarUint(e, MESSAGE.awareness);
		encoding.writeVarUint8Array(e, new Uint8Array(bytes));
	});

/** A stateless message (nothing on the server listens to them). */
export const statelessFrame = (documentName: string, payload: string) =>
	frame(documentName, (e) => {
		encoding.writeVarUint(e, MESSAGE.stateless);
		encoding.writeVarString(e, payload);
	});

/** The provider's "I am done with this document". */
export const closeFrame = (documentName: string) => frame(documentName, (e) => encoding.writeVarUint(e, MESSAGE.close));

interface ServerFrame {
	type: number;
	decoder: decoding.Decoder;
}

function readFrame(data: Buffer): ServerFrame {
	const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
	decoding.readVarString(decoder);
	return { type: decoding.readVarUint(decoder), decoder };
}

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
		const { type, decoder } = readFrame(data);
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
			socket.send(authFrame(documentName, token));
			socket.send(syncFrame(documentName, 'update', update));
		});
		socket.on('message', (data: Buffer) => {
			const { type, decoder } = readFrame(data);
			if (type === MESSAGE.sync) answer.syncMessages++;
			if (type === MESSAGE.auth) {
				const kind = decoding.readVarUint(decoder);
				if (kind === AUTH.permissionDenied) {
					answer.refusal = decoding.readVarString(decoder);
					finish();
				}
				if (kind === AUTH.authenticated) answer.scope = decoding.readVarString(decoder);
			}
			// The only update this client sends is the one above, so the first status is its answer.
			if (type === MESSAGE.syncStatus) {
				answer.applied = decoding.readVarInt(decoder) === 1;
				finish();
			}
		});
	});
}

export interface RawSocket {
	send(data: Uint8Array): void;
	/** The server's answer to each document's token, by document name: `authenticated` or the refusal reason. */
	auth: Map<string, string>;
	/** Sync statuses received, in order. */
	acks: boolean[];
	/** Bytes received so far. */
	receivedBytes(): number;
	/** The close code and reason, once the socket closed. */
	closed(): { code: number; reason: string } | undefined;
	/** Stops or restarts reading from the server, as a client that does not read would. */
	pauseReading(): void;
	resumeReading(): void;
	terminate(): void;
}

/** Opens a socket that sends only what it is told to, and records what the server answers. */
export async function openSocket(syncUrl: string): Promise<RawSocket> {
	// No compression: an attacker would not negotiate it, since it shrinks what the server buffers.
	const socket = new WebSocket(syncUrl, { perMessageDeflate: false });
	socket.binaryType = 'nodebuffer';
	const auth = new Map<string, string>();
	const acks: boolean[] = [];
	let receivedBytes = 0;
	let closed: { code: number; reason: string } | undefined;
	socket.on('message', (data: Buffer) => {
		receivedBytes += data.byteLength;
		const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		const name = decoding.readVarString(decoder);
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE.syncStatus) acks.push(decoding.readVarInt(decoder) === 1);
		if (type === MESSAGE.auth) {
			const authType = decoding.readVarUint(decoder);
			if (authType === AUTH.authenticated) auth.set(name, 'authenticated');
			if (authType === AUTH.permissionDenied) auth.set(name, decoding.readVarString(decoder));
		}
	});
	socket.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
	// A send after the server closed fails with EPIPE or ECONNRESET; the close is what tests look at.
	socket.on('error', () => {});
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
	});
	return {
		send: (data) => {
			if (socket.readyState === WebSocket.OPEN) socket.send(data);
		},
		auth,
		acks,
		receivedBytes: () => receivedBytes,
		closed: () => closed,
		pauseReading: () => socket.pause(),
		resumeReading: () => socket.resume(),
		terminate: () => socket.terminate()
	};
}
