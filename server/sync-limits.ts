/**
 * What one sync socket may cost the server, so that a hostile or broken client can neither take
 * it down nor slow everyone else. Hocuspocus and `ws` enforce some limits themselves (see
 * `HOCUSPOCUS_LIMITS` and `maxPayload` in sync.ts); this module adds the rest, per socket:
 *
 * - **rate**: two token buckets, messages received and bytes received and sent (a request for a
 *   whole document is small, its answer is not). A socket over its budget is not dropped but
 *   paused: we stop reading it, so its excess waits in its own TCP buffers and the client's,
 *   not in our memory, and it is read again once the buckets refill. Together with `ws`'s
 *   `allowSynchronousEvents: false` (one message per event-loop turn per socket), a flood from
 *   one socket cannot starve the others.
 * - **slow readers**: when more than `maxUnsentBytes` of output waits for a client that does not
 *   read, we stop reading and handling its requests (they are what produce the output) and cut
 *   it off if it is still behind after `slowReaderGraceMs`.
 * - **awareness**: relayed to every other client of a document, so it is kept small.
 * - **authentication deadline**: a socket that has not been let into any document by then is
 *   closed (Hocuspocus's own deadline is its idle timeout, a minute or two).
 * - **documents per socket**: counted by the authorization extension through `SocketGuard`.
 */
import * as decoding from 'lib0/decoding';
import type { WebSocketLike } from '@hocuspocus/server';
import type { WebSocket } from 'ws';

const MiB = 1024 * 1024;

export const SYNC_LIMITS = {
	/** Largest message; `ws` closes the socket with 1009 before reading the rest. */
	maxMessageBytes: 32 * MiB,
	/** Largest awareness message (cursor and user state); 1009 above it. */
	maxAwarenessBytes: 64 * 1024,
	/** A provider opening a coordinator's documents sends a few messages per document at once. */
	messageBurst: 1_000,
	messagesPerSecond: 20,
	byteBurst: 32 * MiB,
	bytesPerSecond: 1 * MiB,
	maxUnsentBytes: 8 * MiB,
	slowReaderGraceMs: 15_000,
	authenticationDeadlineMs: 10_000,
	maxDocumentsPerSocket: 200
} as const;

/**
 * Hocuspocus's own limits on a socket before it is let into a document, stated here so they sit
 * in one table with ours (these are its defaults). Over any of them it closes the socket with
 * 4205 "Reset Connection".
 */
export const HOCUSPOCUS_LIMITS = {
	/** Bytes queued for documents still being authenticated. */
	maxUnauthenticatedQueueSize: 5 * MiB,
	maxUnauthenticatedQueueMessages: 1_000,
	/** Documents waiting for their authentication at once. */
	maxPendingDocuments: 100
} as const;

/** Close codes the client sees (the standard ones, and Hocuspocus's timeout code). */
export const CLOSE = {
	tooBig: { code: 1009, reason: 'message-too-big' },
	authenticationTimeout: { code: 4408, reason: 'authentication-timeout' }
} as const;

const MESSAGE_AWARENESS = 1;

/** How often paused and slow sockets are looked at again. */
const SWEEP_EVERY_MS = 250;

/** A budget that refills at `perSecond` up to `capacity`; it may run into debt. */
class TokenBucket {
	private tokens: number;
	private at = Date.now();
	constructor(
		private readonly capacity: number,
		private readonly perSecond: number
	) {
		this.tokens = capacity;
	}

	/** Takes `amount`; returns how many ms until the bucket is out of debt again (0 if it is not in debt). */
	take(amount: number, now: number): number {
		this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.perSecond);
		this.at = now;
		this.tokens -= amount;
		return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000);
	}
}

/** The message type of a Hocuspocus frame ([document name][type]…), or null if it has none. */
function messageType(data: Uint8Array): number | null {
	try {
		const decoder = decoding.createDecoder(data);
		decoding.readVarString(decoder);
		return decoding.readVarUint(decoder);
	} catch {
		return null;
	}
}

/**
 * One socket's state, shared by every document opened on it (through the Hocuspocus context).
 * Hocuspocus writes to the socket through it, so what it sends counts against the budget.
 */
export class SocketGuard implements WebSocketLike {
	private documents = 0;
	private authenticated = false;
	private readonly messages = new TokenBucket(SYNC_LIMITS.messageBurst, SYNC_LIMITS.messagesPerSecond);
	private readonly bytes = new TokenBucket(SYNC_LIMITS.byteBurst, SYNC_LIMITS.bytesPerSecond);
	/** Until when the rate limit keeps the socket paused. */
	private throttledUntil = 0;
	/** Messages received but not yet handed on, because the socket is over its budget. */
	private readonly waiting: Uint8Array[] = [];
	private drainScheduled = false;
	/** Since when output has been piling up, or null. */
	private behindSince: number | null = null;
	private readonly deadline: NodeJS.Timeout;

	constructor(
		private readonly websocket: WebSocket,
		private readonly deliver: (data: Uint8Array) => void
	) {
		this.deadline = setTimeout(() => {
			if (!this.authenticated) websocket.close(CLOSE.authenticationTimeout.code, CLOSE.authenticationTimeout.reason);
		}, SYNC_LIMITS.authenticationDeadlineMs);
	}

	/**
	 * Called for every message the socket delivers. Messages ws had already read when the socket
	 * was paused wait here (a bounded amount: ws stops reading once its own buffer is full).
	 */
	receive(data: Uint8Array): void {
		if (data.byteLength > SYNC_LIMITS.maxAwarenessBytes && messageType(data) === MESSAGE_AWARENESS) {
			this.websocket.close(CLOSE.tooBig.code, CLOSE.tooBig.reason);
			return;
		}
		this.waiting.push(data);
		this.check();
	}

	send(data: Uint8Array): void {
		this.charge(this.bytes.take(data.byteLength, Date.now()));
		this.websocket.send(data);
	}

	close(code?: number, reason?: string): void {
		this.websocket.close(code, reason);
	}

	get readyState(): number {
		return this.websocket.readyState;
	}

	/**
	 * Whether one more document may be opened on this socket; counts it if so. A document let in
	 * also marks the socket as authenticated.
	 */
	admitDocument(): boolean {
		if (this.documents >= SYNC_LIMITS.maxDocumentsPerSocket) return false;
		this.documents++;
		this.authenticated = true;
		return true;
	}

	releaseDocument(): void {
		this.documents = Math.max(0, this.documents - 1);
	}

	/**
	 * Hands on what the budget allows, unless the client is behind on reading; pauses or resumes
	 * reading; cuts off a reader that has been behind for too long.
	 */
	check(now = Date.now()): void {
		if (this.websocket.bufferedAmount <= SYNC_LIMITS.maxUnsentBytes) this.behindSince = null;
		else if (this.behindSince === null) this.behindSince = now;
		else if (now - this.behindSince > SYNC_LIMITS.slowReaderGraceMs) {
			this.websocket.terminate();
			return;
		}
		const open = this.websocket.readyState === this.websocket.OPEN;
		if (open && this.waiting.length > 0 && this.behindSince === null && now >= this.throttledUntil) {
			const data = this.waiting.shift()!;
			this.charge(Math.max(this.messages.take(1, now), this.bytes.take(data.byteLength, now)));
			this.deliver(data);
			// One message per turn, so its answer is charged before the next one is handed on.
			if (this.waiting.length > 0 && !this.drainScheduled) {
				this.drainScheduled = true;
				setImmediate(() => {
					this.drainScheduled = false;
					this.check();
				});
			}
		}
		const hold = now < this.throttledUntil || this.behindSince !== null;
		if (hold && !this.websocket.isPaused) this.websocket.pause();
		if (!hold && this.websocket.isPaused) this.websocket.resume();
	}

	/** Holds the socket for `waitMs` when a bucket went into debt. */
	private charge(waitMs: number): void {
		if (waitMs > 0) this.throttledUntil = Math.max(this.throttledUntil, Date.now() + waitMs);
	}

	dispose(): void {
		clearTimeout(this.deadline);
		this.waiting.length = 0;
	}
}

/** Guards for every open socket, and the sweep that resumes throttled ones and cuts off slow readers. */
export function createSocketLimits() {
	const guards = new Set<SocketGuard>();
	const sweep = setInterval(() => {
		const now = Date.now();
		for (const guard of guards) guard.check(now);
	}, SWEEP_EVERY_MS);
	sweep.unref();

	return {
		/** Starts guarding `websocket`; its messages reach `deliver` through the guard. */
		attach(websocket: WebSocket, deliver: (data: Uint8Array) => void): SocketGuard {
			const guard = new SocketGuard(websocket, deliver);
			guards.add(guard);
			websocket.on('close', () => {
				guard.dispose();
				guards.delete(guard);
			});
			return guard;
		},
		close(): void {
			clearInterval(sweep);
			for (const guard of guards) guard.dispose();
			guards.clear();
		}
	};
}
