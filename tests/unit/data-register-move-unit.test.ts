/**
 * Moving one unit of a building to another grid: only that unit's records are copied, the index
 * lists the unit in the new grid's `units`, and moving it back to its building's grid unlists it.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import * as communityIndex from '$lib/data/community-index-doc';
import * as register from '$lib/data/register-doc';
import { moveUnit, MoveError, scopeToDoors } from '$lib/data/register-move';
import { householdIdOf, householdSchema, type Household } from '$lib/domain/household';
import { gridHoldsDoor } from '$lib/domain/places';
import { deriveRegister } from '$lib/domain/register';
import { visit } from '../fixtures/events';

/** b1 (g01) has two units; b1-2 (also g01, one unit) has doors `b1-2-1-…` that look like b1 unit 2's. */
const units = [
	{ no: 1, floors: 1, doorsPerFloor: 2 },
	{ no: 2, floors: 1, doorsPerFloor: 2 }
];

function household(doorId: string): Household {
	return householdSchema.parse({ v: 1, id: householdIdOf(doorId), doorId, occupancy: 'lived_in', members: [] });
}

function community() {
	const index = new Y.Doc();
	communityIndex.change(index, (w) => {
		w.setCommunity({ v: 1, id: 'c1', name: '东风社区' });
		w.putCompound({ v: 1, id: 'cp1', name: '幸福里' });
		w.putBuilding({ v: 1, id: 'b1', compoundId: 'cp1', name: '1号楼', units });
		w.putBuilding({ v: 1, id: 'b1-2', compoundId: 'cp1', name: '12号楼', units: [units[0]] });
		w.putGrid({ v: 1, id: 'g01', name: '第1网格', buildingIds: ['b1', 'b1-2'], workers: [] });
		w.putGrid({ v: 1, id: 'g02', name: '第2网格', buildingIds: [], workers: [] });
		w.putGrid({ v: 1, id: 'g03', name: '第3网格', buildingIds: [], workers: [] });
	});
	const g01 = new Y.Doc();
	const g02 = new Y.Doc();
	const g03 = new Y.Doc();
	register.change(g01, (w) => {
		for (const doorId of ['b1-1-101', 'b1-2-101', 'b1-2-1-101']) w.putHousehold(household(doorId));
		w.append(visit({ id: 'v-u1', entity: 'b1-1-101', outcome: 'done' }));
		w.append(visit({ id: 'v-u2', entity: 'b1-2-102', outcome: 'refused' }));
		w.append(visit({ id: 'v-b12', entity: 'b1-2-1-101', outcome: 'by_phone' }));
	});
	return { index, g01, g02, g03 };
}

const gridUnits = (index: Y.Doc) => Object.fromEntries(communityIndex.read(index).grids.map((g) => [g.id, g.units ?? []]));
const ids = (items: readonly { id: string }[]) => items.map((i) => i.id).sort();

describe('moveUnit', () => {
	test('copies only that unit’s records and lists the unit in the new grid', () => {
		const { index, g01, g02 } = community();
		expect(moveUnit(index, g01, g02, 'b1', 2, 'g01', 'g02', 'local')).toEqual({ households: 1, events: 1, indexChanged: true });
		expect(ids(register.households(g02))).toEqual([householdIdOf('b1-2-101')]);
		expect(ids(register.events(g02))).toEqual(['v-u2']);
		expect(gridUnits(index)).toEqual({ g01: [], g02: ['b1:2'], g03: [] });
		// The old register keeps its records, and shows only what g01 still holds.
		expect(register.events(g01)).toHaveLength(3);
		const grids = communityIndex.read(index).grids;
		const g01State = scopeToDoors(deriveRegister(register.households(g01), register.events(g01)), gridHoldsDoor(grids[0], grids));
		expect([...g01State.doors.keys()].sort()).toEqual(['b1-1-101', 'b1-2-1-101']);
	});

	test('is idempotent: a second run writes nothing at all', () => {
		const { index, g01, g02 } = community();
		moveUnit(index, g01, g02, 'b1', 2, 'g01', 'g02');
		const before = [Y.encodeStateAsUpdate(index), Y.encodeStateAsUpdate(g02)];
		expect(moveUnit(index, g01, g02, 'b1', 2, 'g01', 'g02')).toEqual({ households: 0, events: 0, indexChanged: false });
		expect([Y.encodeStateAsUpdate(index), Y.encodeStateAsUpdate(g02)]).toEqual(before);
	});

	test('moving on to a third grid unlists it from the second; back to its building’s grid unlists it everywhere', () => {
		const { index, g01, g02, g03 } = community();
		moveUnit(index, g01, g02, 'b1', 2, 'g01', 'g02');
		moveUnit(index, g02, g03, 'b1', 2, 'g02', 'g03');
		expect(gridUnits(index)).toEqual({ g01: [], g02: [], g03: ['b1:2'] });
		expect(ids(register.events(g03))).toEqual(['v-u2']);
		expect(moveUnit(index, g03, g01, 'b1', 2, 'g03', 'g01').indexChanged).toBe(true);
		expect(gridUnits(index)).toEqual({ g01: [], g02: [], g03: [] });
	});

	test('refuses unknown grids, buildings and units, the same grid, and a unit neither grid holds; writes nothing', () => {
		const { index, g01, g02, g03 } = community();
		const before = Y.encodeStateAsUpdate(index);
		const code = (run: () => unknown) => {
			try {
				run();
			} catch (error) {
				return error instanceof MoveError ? error.code : 'other';
			}
			return 'none';
		};
		expect(code(() => moveUnit(index, g01, g02, 'b1', 2, 'g01', 'g09'))).toBe('unknown_grid');
		expect(code(() => moveUnit(index, g01, g01, 'b1', 2, 'g01', 'g01'))).toBe('same_grid');
		expect(code(() => moveUnit(index, g01, g02, 'b9', 2, 'g01', 'g02'))).toBe('unknown_building');
		expect(code(() => moveUnit(index, g01, g02, 'b1', 3, 'g01', 'g02'))).toBe('unknown_unit');
		expect(code(() => moveUnit(index, g02, g03, 'b1', 2, 'g02', 'g03'))).toBe('not_in_grid');
		expect(Y.encodeStateAsUpdate(index)).toEqual(before);
	});
});
