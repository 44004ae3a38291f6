import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import * as register from '$lib/data/register-doc';
import * as unsynced from '$lib/data/unsynced-changes';
import { visit } from '../fixtures/events';

/**
 * Devices and the server as in-memory replicas. A device "syncs" by exchanging updates with the
 * server, and then knows the server's state vector, as the app learns it from the server.
 */
interface Device {
	doc: Y.Doc;
	acknowledged?: Uint8Array;
}

function sync(device: Device, server: Y.Doc): void {
	Y.applyUpdate(server, Y.encodeStateAsUpdate(device.doc, Y.encodeStateVector(server)), 'device');
	Y.applyUpdate(device.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(device.doc)), 'server');
	device.acknowledged = Y.encodeStateVector(server);
}

const eventsById = (doc: Y.Doc) => new Map(register.events(doc).map((e) => [e.id, e]));

type Step = { who: 'a' | 'b' | 'other'; op: 'write' | 'sync' };
const step = fc.record({ who: fc.constantFrom('a', 'b', 'other'), op: fc.constantFrom('write', 'sync') }) as fc.Arbitrary<Step>;

describe('unsynced changes of a document', () => {
	test('exported from one device and merged into another, they give that device every event of the first; then the server has them', () => {
		fc.assert(
			fc.property(fc.array(step, { maxLength: 30 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), (steps, lastWrites) => {
				const server = new Y.Doc();
				const devices = { a: { doc: new Y.Doc() }, b: { doc: new Y.Doc() }, other: { doc: new Y.Doc() } } as Record<Step['who'], Device>;
				let n = 0;
				const write = (device: Device, who: string) =>
					register.change(device.doc, (w) => w.append(visit({ id: `${who}${n}`, device: who, wall: 1_700_000_000_000 + n++ })), 'local');
				for (const { who, op } of steps) (op === 'write' ? write(devices[who], who) : sync(devices[who], server));
				// A goes offline for good with at least one change the server never got.
				for (const _ of lastWrites) write(devices.a, 'a');
				const a = devices.a;
				const acknowledged = a.acknowledged ? unsynced.decodeStateVector(a.acknowledged) : new Map<number, number>();
				const unsent = register.events(a.doc).filter((e) => !register.hasEventWithin(a.doc, e.id, acknowledged));

				const update = unsynced.unsyncedUpdate(a.doc, a.acknowledged);
				expect(new Set(unsynced.eventIdsIn(update))).toEqual(new Set(unsent.map((e) => e.id)));
				// Carried in a file: bytes only.
				const b = devices.b;
				const base = a.acknowledged ?? Y.encodeStateVector(new Y.Doc());
				// A device behind what the export builds on is told to sync first.
				if (!unsynced.holds(b.doc, base)) {
					expect(a.acknowledged).toBeDefined();
					sync(b, server);
				}
				unsynced.merge(b.doc, Uint8Array.from(update), 'import');
				const onB = eventsById(b.doc);
				for (const e of unsent) expect(onB.get(e.id)).toEqual(e);

				// B then syncs: the server, and so everyone, has all of A's events, the same as on A.
				sync(b, server);
				const onServer = eventsById(server);
				for (const [id, event] of eventsById(a.doc)) expect(onServer.get(id)).toEqual(event);
			}),
			{ numRuns: 200 }
		);
	});

	test('nothing unsent is an empty update', () => {
		const server = new Y.Doc();
		const a: Device = { doc: new Y.Doc() };
		register.change(a.doc, (w) => w.append(visit({ id: 'a1' })), 'local');
		sync(a, server);
		expect(unsynced.isEmptyUpdate(unsynced.unsyncedUpdate(a.doc, a.acknowledged))).toBe(true);
		register.change(a.doc, (w) => w.append(visit({ id: 'a2' })), 'local');
		expect(unsynced.isEmptyUpdate(unsynced.unsyncedUpdate(a.doc, a.acknowledged))).toBe(false);
	});
});
