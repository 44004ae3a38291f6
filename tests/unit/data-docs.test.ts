import { describe, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import * as register from '$lib/data/register-doc';
import * as communityIndex from '$lib/data/community-index-doc';
import * as events from '$lib/domain/events';
import type { Building } from '$lib/domain/places';
import type { Household } from '$lib/domain/household';
import { DOOR, rawVisit, visit } from '../fixtures/events';

const T = 1_700_000_000_000;

/** Sends each document's full state to the other, as two replicas do when they meet. */
function exchange(a: Y.Doc, b: Y.Doc): void {
	const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
	const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(b, fromA, 'remote');
	Y.applyUpdate(a, fromB, 'remote');
}

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((x, y) => (x.id < y.id ? -1 : 1));

function building(id: string, name: string): Building {
	return { v: 1, id, compoundId: 'cp1', name, units: [{ no: 1, floors: 6, doorsPerFloor: 2 }] };
}

function household(id: string): Household {
	return { v: 1, id, doorId: DOOR, occupancy: 'lived_in', members: [], passCards: 0, flags: [], notes: '' };
}

describe('register document', () => {
	test('two replicas that appended concurrently hold the same events after exchanging updates', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const onA = visit({ id: 'a1', outcome: 'done', device: 'phone-a', wall: T });
		const onB1 = visit({ id: 'b1', outcome: 'nobody_home', device: 'phone-b', wall: T + 1 });
		const onB2 = visit({ id: 'b2', outcome: 'refused', device: 'phone-b', entity: 'b1-1-601', wall: T + 2 });
		register.change(a, (w) => w.append(onA));
		register.change(b, (w) => {
			w.append(onB1);
			w.append(onB2);
		});
		exchange(a, b);
		expect(byId(register.events(a))).toEqual([onA, onB1, onB2]);
		expect(byId(register.events(b))).toEqual([onA, onB1, onB2]);
		// and so they show the same door states, with the concurrent outcomes kept as a conflict
		const stateA = events.reduce(register.events(a)).get(events.fieldKey(DOOR, 'visit'));
		expect(stateA).toEqual(events.reduce(register.events(b)).get(events.fieldKey(DOOR, 'visit')));
		expect(stateA?.conflict).toBe(true);
	});

	test('an event appended twice, or on both replicas, is stored once', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const e = visit({ id: 'e1' });
		register.change(a, (w) => {
			w.append(e);
			w.append(structuredClone(e));
		});
		register.change(a, (w) => w.append(e));
		register.change(b, (w) => w.append(structuredClone(e)));
		exchange(a, b);
		expect(register.events(a)).toEqual([e]);
		expect(register.events(b)).toEqual([e]);
		expect(register.hasEvent(a, 'e1')).toBe(true);
		expect(register.hasEvent(a, 'e2')).toBe(false);
	});

	test('an event is immutable: a second append with the same id changes nothing', () => {
		const doc = new Y.Doc();
		const original = visit({ id: 'e1', outcome: 'done' });
		register.change(doc, (w) => w.append(original));
		register.change(doc, (w) => w.append(visit({ id: 'e1', outcome: 'refused' })));
		expect(register.events(doc)).toEqual([original]);
		expect(register.event(doc, 'e1')).toEqual(original);
		expect(register.event(doc, 'e2')).toBeUndefined();
	});

	test('append refuses an event that does not fit the schema and stores nothing', () => {
		const doc = new Y.Doc();
		const bad = { ...rawVisit({ id: 'e1' }), extra: true } as unknown as events.LogEvent;
		expect(() => register.change(doc, (w) => w.append(bad))).toThrow();
		expect(register.hasEvent(doc, 'e1')).toBe(false);
		expect(register.events(doc)).toEqual([]);
	});

	test('events() skips values that do not fit the schema, written by an old or hostile client', () => {
		const doc = new Y.Doc();
		const good = visit({ id: 'good' });
		register.change(doc, (w) => w.append(good));
		// what another client could put in the map directly, bypassing this module
		const map = doc.getMap('events');
		map.set('bad-outcome', { ...rawVisit({ id: 'bad-outcome' }), value: { outcome: 'maybe', note: '' } });
		map.set('extra-field', { ...rawVisit({ id: 'extra-field' }), admin: true });
		map.set('not-an-object', 'hello');
		map.set('bad-hlc', { ...rawVisit({ id: 'bad-hlc' }), hlc: 'yesterday' });
		expect(register.events(doc)).toEqual([good]);
	});

	test('households round-trip, and an invalid one is skipped', () => {
		const doc = new Y.Doc();
		register.change(doc, (w) => {
			w.putHousehold(household('h1'));
			w.putHousehold(household('h2'));
		});
		doc.getMap('households').set('h3', { ...household('h3'), occupancy: 'haunted' });
		expect(byId(register.households(doc))).toEqual([household('h1'), household('h2')]);
	});

	test('change passes its origin to the transaction', () => {
		const doc = new Y.Doc();
		const origins: unknown[] = [];
		doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
		const local = Symbol('local');
		register.change(doc, (w) => w.append(visit({ id: 'e1' })), local);
		expect(origins).toEqual([local]);
	});
});

describe('community index document', () => {
	test('reads back what was written, buildings sorted by name in numeric order', () => {
		const doc = new Y.Doc();
		const names = ['10号楼', '2号楼', '1号楼', '12号楼', '9号楼'];
		communityIndex.change(doc, (w) => {
			w.setCommunity({ v: 1, id: 'c1', name: '东风社区' });
			w.putCompound({ v: 1, id: 'cp1', name: '幸福里' });
			names.forEach((name, i) => w.putBuilding(building(`b${i}`, name)));
			w.putGrid({ v: 1, id: 'g10', name: '第10网格', buildingIds: ['b0'], workers: [] });
			w.putGrid({ v: 1, id: 'g2', name: '第2网格', buildingIds: ['b1', 'b2'], workers: ['li'] });
		});
		const index = communityIndex.read(doc);
		expect(index.community).toEqual({ v: 1, id: 'c1', name: '东风社区' });
		expect(index.compounds).toEqual([{ v: 1, id: 'cp1', name: '幸福里' }]);
		expect(index.buildings.map((b) => b.name)).toEqual(['1号楼', '2号楼', '9号楼', '10号楼', '12号楼']);
		expect(index.buildings.find((b) => b.id === 'b0')).toEqual(building('b0', '10号楼'));
		expect(index.grids.map((g) => g.id)).toEqual(['g2', 'g10']);
	});

	test('entries with the same name are listed by id, whatever order the replica received them in', () => {
		const written = (order: string[]) => {
			const doc = new Y.Doc();
			communityIndex.change(doc, (w) => order.forEach((id) => w.putBuilding(building(id, '1号楼'))));
			return communityIndex.read(doc).buildings.map((b) => b.id);
		};
		expect(written(['b2', 'b1', 'b3'])).toEqual(['b1', 'b2', 'b3']);
		expect(written(['b3', 'b1', 'b2'])).toEqual(['b1', 'b2', 'b3']);
	});

	test('an empty document reads as an empty index', () => {
		expect(communityIndex.read(new Y.Doc())).toEqual({ community: null, compounds: [], buildings: [], grids: [] });
	});

	test('a put replaces the previous value of the same id', () => {
		const doc = new Y.Doc();
		communityIndex.change(doc, (w) => w.putBuilding(building('b1', '1号楼')));
		communityIndex.change(doc, (w) => w.putBuilding(building('b1', '1号楼（东）')));
		expect(communityIndex.read(doc).buildings).toEqual([building('b1', '1号楼（东）')]);
	});

	test('refuses to write an invalid building, and skips one written directly', () => {
		const doc = new Y.Doc();
		expect(() => communityIndex.change(doc, (w) => w.putBuilding({ ...building('b1', '1号楼'), units: [] }))).toThrow();
		doc.getMap('buildings').set('b2', { ...building('b2', '2号楼'), units: [] });
		doc.getMap('meta').set('community', { v: 1, id: 'c1' });
		expect(communityIndex.read(doc)).toEqual({ community: null, compounds: [], buildings: [], grids: [] });
	});

	test('a replica reads what the coordinator wrote after receiving the update', () => {
		const coordinator = new Y.Doc();
		const worker = new Y.Doc();
		communityIndex.change(coordinator, (w) => w.putBuilding(building('b1', '1号楼')));
		exchange(coordinator, worker);
		expect(communityIndex.read(worker)).toEqual(communityIndex.read(coordinator));
	});
});

describe('subscribe', () => {
	test('fires on remote updates and local changes, and stops after unsubscribing', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const listener = vi.fn();
		const unsubscribe = register.subscribe(b, listener);

		register.change(a, (w) => w.append(visit({ id: 'e1' })));
		exchange(a, b);
		expect(listener).toHaveBeenCalledTimes(1);

		register.change(b, (w) => w.append(visit({ id: 'e2' })));
		expect(listener).toHaveBeenCalledTimes(2);

		unsubscribe();
		register.change(a, (w) => w.append(visit({ id: 'e3' })));
		exchange(a, b);
		register.change(b, (w) => w.append(visit({ id: 'e4' })));
		expect(listener).toHaveBeenCalledTimes(2);
		expect(register.events(b)).toHaveLength(4);
	});

	test('one change with several writes notifies once', () => {
		const doc = new Y.Doc();
		const listener = vi.fn();
		communityIndex.subscribe(doc, listener);
		communityIndex.change(doc, (w) => {
			w.putBuilding(building('b1', '1号楼'));
			w.putBuilding(building('b2', '2号楼'));
		});
		expect(listener).toHaveBeenCalledTimes(1);
	});

	test('two subscriptions of the same listener are independent', () => {
		const doc = new Y.Doc();
		const listener = vi.fn();
		const first = register.subscribe(doc, listener);
		register.subscribe(doc, listener);
		first();
		register.change(doc, (w) => w.append(visit({ id: 'e1' })));
		expect(listener).toHaveBeenCalledTimes(1);
	});
});
