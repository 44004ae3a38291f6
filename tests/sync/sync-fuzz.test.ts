/**
 * Protocol fuzzing (issue 4, hostile input): a few thousand random frames and frames mutated
 * from valid ones (bits flipped, cut short, bytes inserted, a length made huge, two frames
 * spliced), sent over loopback to the real server process on sockets that did and did not
 * authenticate first. Seeded, bounded in count and in time. Afterwards the server process is
 * alive, within its memory bound, a well-behaved client's edit still reaches another client,
 * and a fresh client syncs a register that still reads as one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as register from '../../src/lib/data/register-doc';
import * as events from '../../src/lib/domain/events';
import * as hlc from '../../src/lib/domain/hlc';
import { connectSynced, login, waitFor, type SyncClient } from './support/clients';
import { authFrame, closeFrame, frame, openSocket, statelessFrame, syncFrame } from './support/raw-client';
import { startServerProcess, tempDir, type ServerProcess } from './support/server-process';

const SEED = 20240611;
const FRAMES = 3_000;
/** Frames per socket, below the 1000-message burst so the rate limit does not stretch the run. */
const FRAMES_PER_SOCKET = 400;
/** Frames sent between two checks that the server got through them. */
const GROUP = 5;
/** Sockets sending at once. */
const LANES = 4;
const TIME_BUDGET_MS = 30_000;
const G01 = 'c1/register/g01';
const PROBE_DOCUMENT = 'c1/register/g02';
const MiB = 1024 * 1024;

const data = tempDir('gridwalk-fuzz-');
let server: ServerProcess;
let token: string;
let clock = hlc.create('fuzz-test', Date.now());

function visitUpdate(doc: Y.Doc, id: string): Uint8Array {
	const made = events.createEvent({ kind: 'visit', entity: 'b1-1-0101', user: 'coordinator', value: { outcome: 'done', note: '' } }, clock, Date.now(), id);
	clock = made.clock;
	let update: Uint8Array | undefined;
	doc.once('update', (u: Uint8Array) => (update = u));
	register.change(doc, (w) => w.append(made.event));
	return update!;
}

/** Valid frames of every message type a client may send, to mutate. */
function templates(doc: Y.Doc): Uint8Array[] {
	const awareness = new awarenessProtocol.Awareness(new Y.Doc());
	awareness.setLocalState({ user: { name: 'fuzz' } });
	const typeOnly = (type: number) => frame(G01, (e) => encoding.writeVarUint(e, type));
	return [
		authFrame(G01, token),
		authFrame(G01, 'garbage'),
		authFrame('c1/index', token),
		syncFrame(G01, 'step1', Y.encodeStateVector(doc)),
		syncFrame(G01, 'step2', visitUpdate(doc, 'fuzz-template-step2')),
		syncFrame(G01, 'update', visitUpdate(doc, 'fuzz-template-update')),
		syncFrame('c1/index', 'update', Y.encodeStateAsUpdate(new Y.Doc())),
		frame(G01, (e) => {
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]));
		}),
		typeOnly(3), // query awareness
		statelessFrame(G01, '{"hello":1}'),
		typeOnly(6), // broadcast stateless: server-internal
		closeFrame(G01),
		typeOnly(8), // sync status: server-to-client only
		typeOnly(9), // ping
		typeOnly(99)
	];
}

const mutation = fc.oneof(
	fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
	fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
	fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
	// A varint length or count of about 2^35: decoders must not believe it.
	fc.record({ op: fc.constant('huge-length' as const), at: fc.nat() }),
	fc.record({ op: fc.constant('splice' as const), at: fc.nat(), other: fc.nat() })
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

const recipe = fc.oneof(
	{ weight: 1, arbitrary: fc.record({ random: fc.uint8Array({ maxLength: 512 }) }) },
	{ weight: 1, arbitrary: fc.record({ template: fc.nat(), mutations: fc.constant([] as Mutation[]) }) },
	{ weight: 6, arbitrary: fc.record({ template: fc.nat(), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) }) }
);

function mutate(bytes: Uint8Array, m: Mutation, all: Uint8Array[]): Uint8Array {
	const at = bytes.length === 0 ? 0 : m.at % bytes.length;
	switch (m.op) {
		case 'flip': {
			const copy = bytes.slice();
			if (copy.length > 0) copy[at] ^= 1 << m.bit;
			return copy;
		}
		case 'truncate':
			return bytes.slice(0, at);
		case 'insert':
			return Uint8Array.from([...bytes.slice(0, at), ...m.bytes, ...bytes.slice(at)]);
		case 'huge-length':
			return Uint8Array.from([...bytes.slice(0, at), 0xff, 0xff, 0xff, 0xff, 0x7f, ...bytes.slice(at)]);
		case 'splice': {
			const other = all[m.other % all.length];
			return Uint8Array.from([...bytes.slice(0, at), ...other.slice(at % Math.max(1, other.length))]);
		}
	}
}

interface LaneResult {
	sent: number;
	sockets: number;
	/** How many sockets the server closed, by close code. */
	closes: Record<number, number>;
}

let probes = 0;

/**
 * Sends `frames` in groups, each followed by a probe; a socket the server closed is replaced by
 * a new one. Three sockets in four are let into the register first, so mutations reach the
 * document handlers as well as the authentication path.
 */
async function sendAll(frames: Uint8Array[], outOfTime: () => boolean): Promise<LaneResult> {
	const result: LaneResult = { sent: 0, sockets: 0, closes: {} };
	while (result.sent < frames.length && !outOfTime()) {
		const socket = await openSocket(server.syncUrl);
		result.sockets++;
		if (result.sockets % 4 !== 0) socket.send(authFrame(G01, token));
		for (let onSocket = 0; onSocket < FRAMES_PER_SOCKET && result.sent < frames.length; onSocket += GROUP) {
			for (const bytes of frames.slice(result.sent, result.sent + GROUP)) socket.send(bytes);
			result.sent = Math.min(frames.length, result.sent + GROUP);
			// Messages are handled in order: once a new document's token is answered, the server has
			// been through the group before it; a closed socket gets the next group on a new one.
			// (Another document than the frames': Hocuspocus hands "name\0session" to an open "name".)
			const probe = `${PROBE_DOCUMENT}\0probe-${++probes}`;
			socket.send(authFrame(probe, token));
			await waitFor(`${probe} to be answered`, () => socket.auth.has(probe) || socket.closed() !== undefined, 10_000, 2);
			if (socket.closed()) break;
		}
		const code = socket.closed()?.code;
		if (code !== undefined) result.closes[code] = (result.closes[code] ?? 0) + 1;
		socket.terminate();
	}
	return result;
}

describe('protocol fuzzing (real server process)', () => {
	let writer: SyncClient;
	let reader: SyncClient;

	beforeAll(async () => {
		server = await startServerProcess({ dataDir: data.path });
		token = await login(server.url, 'coordinator');
		writer = await connectSynced(server.syncUrl, G01, token);
		reader = await connectSynced(server.syncUrl, G01, token);
	});

	afterAll(async () => {
		writer?.destroy();
		reader?.destroy();
		await server?.stop();
		data.remove();
	});

	it(`survives ${FRAMES} random and mutated frames (seed ${SEED}) and keeps serving`, async () => {
		const baselineRss = server.rssBytes();
		const householdsBefore = register.households(writer.doc).length;
		const valid = templates(new Y.Doc());
		const frames = fc.sample(recipe, { seed: SEED, numRuns: FRAMES }).map((r) => {
			if ('random' in r) return r.random;
			return r.mutations.reduce((bytes, m) => mutate(bytes, m, valid), valid[r.template % valid.length]);
		});

		const started = performance.now();
		const lanes = await Promise.all(
			Array.from({ length: LANES }, (_, lane) => sendAll(frames.filter((_, i) => i % LANES === lane), () => performance.now() - started > TIME_BUDGET_MS))
		).catch(async (error: unknown) => {
			// A refused connection is most likely a dead server: give its exit a moment to be seen.
			await waitFor('the server to be seen exiting', () => !server.alive(), 1_000).catch(() => {});
			if (!server.alive()) throw new Error(`the server process died:\n${server.output().slice(-3_000)}`);
			throw error;
		});
		const sum = (key: 'sent' | 'sockets') => lanes.reduce((total, lane) => total + lane[key], 0);
		const closes: Record<number, number> = {};
		for (const lane of lanes) for (const [code, n] of Object.entries(lane.closes)) closes[Number(code)] = (closes[Number(code)] ?? 0) + n;
		const seconds = (performance.now() - started) / 1000;
		console.log(`[fuzz] sent ${sum('sent')} frames on ${sum('sockets')} sockets in ${seconds.toFixed(1)} s; closed by the server, by code: ${JSON.stringify(closes)}`);
		expect(sum('sent')).toBe(FRAMES);

		expect(server.alive()).toBe(true);
		expect(server.rssBytes()).toBeLessThan(baselineRss + 100 * MiB);
		const id = 'after-fuzz';
		register.change(writer.doc, (w) => w.append(events.createEvent({ kind: 'visit', entity: 'b1-1-0101', user: 'coordinator', value: { outcome: 'done', note: '' } }, clock, Date.now(), id).event));
		await waitFor('an edit after the fuzzing to reach the other client', () => register.hasEvent(reader.doc, id), 2_000);
		const fresh = await connectSynced(server.syncUrl, G01, token);
		try {
			expect(register.households(fresh.doc).length).toBe(householdsBefore);
			expect(register.hasEvent(fresh.doc, id)).toBe(true);
		} finally {
			fresh.destroy();
		}
	}, 60_000);
});
