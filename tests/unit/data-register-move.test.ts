import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import * as communityIndex from '$lib/data/community-index-doc';
import * as register from '$lib/data/register-doc';
import { buildingOfDoor, moveBuilding, MoveError, recordsOfBuilding, scopeToBuildings } from '$lib/data/register-move';
import { createEvent, type LogEvent, type NewEvent } from '$lib/domain/events';
import { householdIdOf, householdSchema, type Household } from '$lib/domain/household';
import * as hlc from '$lib/domain/hlc';
import { deriveRegister } from '$lib/domain/register';
import { visit } from '../fixtures/events';

/**
 * g01 holds b1 (moved in these tests), b10 and b1-2 (ids that start like b1's doors, and stay);
 * g02 holds b3. One unit of two floors, two doors each.
 */
const unit = [{ no: 1, floors: 2, doorsPerFloor: 2 }];
const building = (id: string) => ({ v: 1 as const, id, compoundId: 'cp1', name: `${id}号楼`, units: unit });

function household(doorId: string, name: string): Household {
	return householdSchema.parse({
		v: 1,
		id: householdIdOf(doorId),
		doorId,
		occupancy: 'lived_in',
		members: [{ id: 'm1', name, relation: 'head', sex: 'female', birth: '1950', residence: 'registered' }]
	});
}

let clock = hlc.create('phone-a', 1_700_000_000_000);
function event<E extends LogEvent>(id: string, input: Omit<NewEvent<E>, 'user'>): E {
	const made = createEvent<E>({ ...input, user: 'worker1' } as NewEvent<E>, clock, 1_700_000_000_000, id);
	clock = made.clock;
	return made.event;
}

function community() {
	const index = new Y.Doc();
	communityIndex.change(index, (w) => {
		w.setCommunity({ v: 1, id: 'c1', name: '东风社区' });
		w.putCompound({ v: 1, id: 'cp1', name: '幸福里' });
		for (const id of ['b1', 'b10', 'b1-2', 'b3']) w.putBuilding(building(id));
		w.putGrid({ v: 1, id: 'g01', name: '第1网格', buildingIds: ['b1', 'b10', 'b1-2'], workers: ['worker1'] });
		w.putGrid({ v: 1, id: 'g02', name: '第2网格', buildingIds: ['b3'], workers: ['worker2'] });
	});

	const g01 = new Y.Doc();
	const g02 = new Y.Doc();
	const moved = {
		households: [household('b1-1-101', '王秀英'), household('b1-1-201', '李桂兰')],
		events: [
			visit({ id: 'v-b1-101', entity: 'b1-1-101', outcome: 'done' }),
			visit({ id: 'v-b1-102', entity: 'b1-1-102', outcome: 'nobody_home' }),
			event('e-b1-phone', { kind: 'household', entity: householdIdOf('b1-1-101'), field: 'phone', value: '13800138000' }),
			event('n-b1-created', {
				kind: 'need',
				entity: 'n-b1',
				field: 'created',
				value: { householdId: householdIdOf('b1-1-201'), kind: 'medicine', urgency: 'today', description: '降压药' }
			}),
			event('n-b1-status', { kind: 'need', entity: 'n-b1', field: 'status', value: { status: 'in_hand', note: '' } })
		]
	};
	const stays = {
		households: [household('b10-1-101', '张伟'), household('b1-2-1-101', '赵敏')],
		events: [
			visit({ id: 'v-b10-101', entity: 'b10-1-101', outcome: 'refused' }),
			visit({ id: 'v-b1-2-101', entity: 'b1-2-1-101', outcome: 'by_phone' }),
			event('e-b10-notes', { kind: 'household', entity: householdIdOf('b10-1-101'), field: 'notes', value: '租户' }),
			event('n-b10-created', {
				kind: 'need',
				entity: 'n-b10',
				field: 'created',
				value: { householdId: householdIdOf('b10-1-101'), kind: 'repair', urgency: 'this_week', description: '下水道堵了' }
			}),
			event('n-b10-status', { kind: 'need', entity: 'n-b10', field: 'status', value: { status: 'done', note: '' } })
		]
	};
	register.change(g01, (w) => {
		for (const h of [...moved.households, ...stays.households]) w.putHousehold(h);
		for (const e of [...moved.events, ...stays.events]) w.append(e);
	});
	const b3 = household('b3-1-101', '周建华');
	register.change(g02, (w) => {
		w.putHousehold(b3);
		w.append(visit({ id: 'v-b3-101', entity: 'b3-1-101', outcome: 'done' }));
	});
	return { index, g01, g02, moved, stays, b3 };
}

const ids = (items: readonly { id: string }[]) => items.map((i) => i.id).sort();
const gridsOf = (index: Y.Doc) => Object.fromEntries(communityIndex.read(index).grids.map((g) => [g.id, g.buildingIds]));
const state = (doc: Y.Doc) => deriveRegister(register.households(doc), register.events(doc));
const snapshot = (...docs: Y.Doc[]) => docs.map((d) => Y.encodeStateAsUpdate(d));

describe('which records belong to a building', () => {
	test('a door id names its building, dashes in the building id included', () => {
		expect(buildingOfDoor('b1-1-101')).toBe('b1');
		expect(buildingOfDoor('b10-1-101')).toBe('b10');
		expect(buildingOfDoor('b1-2-1-101')).toBe('b1-2');
		expect(buildingOfDoor('cp2-b9-12-3304')).toBe('cp2-b9');
		expect(buildingOfDoor('nonsense')).toBeUndefined();
	});

	test("its doors' visits, its households and their field edits, and every event of their needs", () => {
		const { g01, moved } = community();
		const records = recordsOfBuilding(register.households(g01), register.events(g01), 'b1');
		expect(ids(records.households)).toEqual(ids(moved.households));
		expect(ids(records.events)).toEqual(ids(moved.events));
	});
});

describe('moving a building to another grid', () => {
	test('copies the building’s households and events into the new register, and nothing else', () => {
		const { index, g01, g02, moved, b3 } = community();
		const result = moveBuilding(index, g01, g02, 'b1', 'g01', 'g02', 'local');
		expect(result).toEqual({ households: 2, events: 5, indexChanged: true });
		expect(ids(register.households(g02))).toEqual(ids([...moved.households, b3]));
		expect(ids(register.events(g02))).toEqual(ids([...moved.events, { id: 'v-b3-101' }]));
		// Copies are the same records: ids, clocks and who wrote them.
		expect(register.events(g02).find((e) => e.id === 'e-b1-phone')).toEqual(moved.events[2]);
	});

	test('the new register derives what the old one showed for the building', () => {
		const { index, g01, g02 } = community();
		const before = state(g01);
		moveBuilding(index, g01, g02, 'b1', 'g01', 'g02');
		const after = state(g02);
		for (const doorId of ['b1-1-101', 'b1-1-102']) expect(after.doors.get(doorId)).toEqual(before.doors.get(doorId));
		expect(after.households.get(householdIdOf('b1-1-101'))?.household.phone).toBe('13800138000');
		expect(after.needs.get('n-b1')?.need).toEqual(before.needs.get('n-b1')?.need);
		expect(after.needs.get('n-b1')?.need.status).toBe('in_hand');
		expect(after.needs.has('n-b10')).toBe(false);
	});

	test('moves the building id between the grids in the index', () => {
		const { index, g01, g02 } = community();
		moveBuilding(index, g01, g02, 'b1', 'g01', 'g02');
		expect(gridsOf(index)).toEqual({ g01: ['b10', 'b1-2'], g02: ['b3', 'b1'] });
		// Everything else about the grids stays.
		expect(communityIndex.read(index).grids.map((g) => [g.name, g.workers])).toEqual([
			['第1网格', ['worker1']],
			['第2网格', ['worker2']]
		]);
	});

	test('deletes nothing from the old register', () => {
		const { index, g01, g02 } = community();
		const households = register.households(g01);
		const events = register.events(g01);
		moveBuilding(index, g01, g02, 'b1', 'g01', 'g02');
		expect(register.households(g01)).toEqual(households);
		expect(register.events(g01)).toEqual(events);
	});

	test('is idempotent: running it again changes nothing, not even a Yjs update', () => {
		const { index, g01, g02 } = community();
		moveBuilding(index, g01, g02, 'b1', 'g01', 'g02');
		const before = snapshot(index, g01, g02);
		const updates: string[] = [];
		index.on('update', () => updates.push('index'));
		g02.on('update', () => updates.push('g02'));
		expect(moveBuilding(index, g01, g02, 'b1', 'g01', 'g02')).toEqual({ households: 0, events: 0, indexChanged: false });
		expect(updates).toEqual([]);
		expect(snapshot(index, g01, g02)).toEqual(before);
	});

	test('run again later, it brings over what an offline worker wrote into the old register meanwhile', () => {
		const { index, g01, g02 } = community();
		moveBuilding(index, g01, g02, 'b1', 'g01', 'g02');
		const late = visit({ id: 'v-late', entity: 'b1-1-202', outcome: 'done', wall: 1_700_000_100_000 });
		register.change(g01, (w) => w.append(late));
		expect(moveBuilding(index, g01, g02, 'b1', 'g01', 'g02')).toEqual({ households: 0, events: 1, indexChanged: false });
		expect(register.hasEvent(g02, 'v-late')).toBe(true);
	});

	test('keeps a household the new register already has as it is', () => {
		const { index, g01, g02 } = community();
		const there = { ...household('b1-1-101', '王秀英'), notes: '导入时写的' };
		register.change(g02, (w) => w.putHousehold(there));
		expect(moveBuilding(index, g01, g02, 'b1', 'g01', 'g02').households).toBe(1);
		expect(register.households(g02).find((h) => h.id === there.id)).toEqual(there);
	});

	test('settles a building listed in both grids (two concurrent moves) without listing it twice', () => {
		const { index, g01, g02 } = community();
		const g02Grid = communityIndex.read(index).grids.find((g) => g.id === 'g02')!;
		communityIndex.change(index, (w) => w.putGrid({ ...g02Grid, buildingIds: [...g02Grid.buildingIds, 'b1'] }));
		expect(moveBuilding(index, g01, g02, 'b1', 'g01', 'g02').indexChanged).toBe(true);
		expect(gridsOf(index)).toEqual({ g01: ['b10', 'b1-2'], g02: ['b3', 'b1'] });
	});

	test('refuses what cannot be moved, before writing anything', () => {
		const { index, g01, g02 } = community();
		const before = snapshot(index, g01, g02);
		const code = (fn: () => unknown) => {
			try {
				fn();
			} catch (error) {
				return error instanceof MoveError ? error.code : String(error);
			}
			return 'no error';
		};
		expect(code(() => moveBuilding(index, g01, g02, 'b1', 'g01', 'g01'))).toBe('same_grid');
		expect(code(() => moveBuilding(index, g01, g02, 'b1', 'g01', 'g09'))).toBe('unknown_grid');
		expect(code(() => moveBuilding(index, g01, g02, 'b99', 'g01', 'g02'))).toBe('unknown_building');
		communityIndex.change(index, (w) => w.putBuilding(building('b7')));
		const withB7 = snapshot(index, g01, g02);
		expect(code(() => moveBuilding(index, g01, g02, 'b7', 'g01', 'g02'))).toBe('not_in_grid');
		expect(snapshot(index, g01, g02)).toEqual(withB7);
		expect(snapshot(g01, g02)).toEqual(before.slice(1));
	});
});

describe('what a register shows after a move', () => {
	test('only the buildings its grid holds now: the old copy of a moved household and its need is left out', () => {
		const { index, g01, g02 } = community();
		moveBuilding(index, g01, g02, 'b1', 'g01', 'g02');
		const grids = gridsOf(index);
		const old = scopeToBuildings(state(g01), grids.g01);
		expect([...old.doors.keys()].sort()).toEqual(['b1-2-1-101', 'b10-1-101']);
		expect([...old.visits.keys()].sort()).toEqual(['b1-2-1-101', 'b10-1-101']);
		expect([...old.households.keys()].sort()).toEqual([householdIdOf('b1-2-1-101'), householdIdOf('b10-1-101')]);
		expect([...old.needs.keys()]).toEqual(['n-b10']);

		const now = scopeToBuildings(state(g02), grids.g02);
		expect([...now.needs.keys()]).toEqual(['n-b1']);
		expect([...now.households.keys()].sort()).toEqual([householdIdOf('b1-1-101'), householdIdOf('b1-1-201'), householdIdOf('b3-1-101')]);
	});
});
