/**
 * Who holds a unit: a grid holds every unit of its buildings except those another grid lists in
 * its `units`, plus the units it lists itself. One rule (`unitHolders`), used by projections,
 * scoping, the building page and the import.
 */
import { describe, expect, test } from 'vitest';
import * as places from '$lib/domain/places';
import type { Building, Grid } from '$lib/domain/places';

const building = (id: string, units: number): Building => ({
	v: 1,
	id,
	compoundId: 'cp1',
	name: `${id}号楼`,
	units: Array.from({ length: units }, (_, i) => ({ no: i + 1, floors: 1, doorsPerFloor: 1 }))
});
const b8 = building('cp2-b8', 3);
const b9 = building('cp2-b9', 1);
const buildings = new Map([b8, b9].map((b) => [b.id, b]));
const g01: Grid = { v: 1, id: 'g01', name: '第1网格', buildingIds: ['cp2-b8', 'cp2-b9'], workers: [] };
const g02: Grid = { v: 1, id: 'g02', name: '第2网格', buildingIds: [], units: ['cp2-b8:2'], workers: [] };
const grids = [g01, g02];

describe('unitHolders and unitOwner', () => {
	test("a unit is its building's grid's unless another grid lists it", () => {
		expect(places.unitHolders(grids, 'cp2-b8', 1)).toEqual(['g01']);
		expect(places.unitHolders(grids, 'cp2-b8', 2)).toEqual(['g02']);
		expect(places.unitOwner(grids, 'cp2-b8', 2)).toBe('g02');
		expect(places.unitOwner(grids, 'cp2-b9', 1)).toBe('g01');
		expect(places.unitOwner(grids, 'nowhere', 1)).toBeUndefined();
	});

	test('grids written before units existed hold whole buildings', () => {
		const old = places.gridSchema.parse({ v: 1, id: 'g03', name: '第3网格', buildingIds: ['b1'], workers: [] });
		expect(old.units).toBeUndefined();
		expect(places.unitHolders([old], 'b1', 4)).toEqual(['g03']);
	});

	test('the schema takes `<buildingId>:<unitNo>` and nothing else', () => {
		const accepts = (units: string[]) => places.gridSchema.safeParse({ ...g02, units }).success;
		expect(accepts(['cp2-b8:2', 'b_1:12'])).toBe(true);
		expect(accepts(['cp2-b8'])).toBe(false);
		expect(accepts(['cp2-b8:123'])).toBe(false);
		expect(accepts(['a/b:1'])).toBe(false);
	});
});

describe('gridHoldsDoor and unitsOfGrid', () => {
	test('a door is held by the grid holding its unit, building ids with dashes included', () => {
		const g01Holds = places.gridHoldsDoor(g01, grids);
		const g02Holds = places.gridHoldsDoor(g02, grids);
		expect(g01Holds('cp2-b8-1-101')).toBe(true);
		expect(g01Holds('cp2-b8-2-101')).toBe(false);
		expect(g02Holds('cp2-b8-2-101')).toBe(true);
		expect(g02Holds('cp2-b8-3-101')).toBe(false);
		expect(g01Holds('nonsense')).toBe(false);
		expect(places.unitOfDoor('cp2-b8-12-3304')).toEqual({ buildingId: 'cp2-b8', unitNo: 12 });
	});

	test('a grid holds the units of its buildings not taken, then its own extra units', () => {
		const units = (grid: Grid) => places.unitsOfGrid(grid, grids, buildings).map(({ building, unit }) => `${building.id}:${unit.no}`);
		expect(units(g01)).toEqual(['cp2-b8:1', 'cp2-b8:3', 'cp2-b9:1']);
		expect(units(g02)).toEqual(['cp2-b8:2']);
		expect(places.doorsOfGrid(g02, grids, buildings).map((d) => d.id)).toEqual(['cp2-b8-2-101']);
		// A building split between grids is listed by each, once.
		expect(places.buildingIdsOfGrid(g01, grids, buildings)).toEqual(['cp2-b8', 'cp2-b9']);
		expect(places.buildingIdsOfGrid(g02, grids, buildings)).toEqual(['cp2-b8']);
	});

	test('a unit listed by a grid that does not exist in the index is skipped', () => {
		const g = { ...g02, units: ['cp2-b8:9', 'gone:1'] };
		expect(places.unitsOfGrid(g, [g01, g], buildings)).toEqual([]);
	});
});
