/**
 * The door projection: derived from the community index and a register's households and
 * events, stored in Dexie (fake-indexeddb here) so lists can read it.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalDb } from '$lib/data/local-db';
import { projectGridDoors, storeGridDoors } from '$lib/data/projections';
import { deriveRegister } from '$lib/domain/register';
import type { Building, Grid } from '$lib/domain/places';
import type { Household } from '$lib/domain/household';
import { visit } from '../fixtures/events';

const building: Building = {
	v: 1,
	id: 'b1',
	compoundId: 'cp1',
	name: '1号楼',
	units: [
		{ no: 1, floors: 2, doorsPerFloor: 2 },
		{ no: 2, floors: 1, doorsPerFloor: 1 }
	]
};
const grid: Grid = { v: 1, id: 'g01', name: '第1网格', buildingIds: ['b1', 'missing-building'], workers: [] };
const household: Household = {
	v: 1,
	id: 'h-b1-1-201',
	doorId: 'b1-1-201',
	occupancy: 'lived_in',
	members: [
		{ id: 'm1', name: '李秀英', relation: 'spouse', sex: 'female', birth: '1960', residence: 'registered', flags: ['chronic_medication'] },
		{ id: 'm2', name: '王建国', relation: 'head', sex: 'male', birth: '1958-03-01', residence: 'registered', flags: [] }
	],
	passCards: 1,
	flags: ['elderly_only'],
	notes: ''
};
const buildings = new Map([[building.id, building]]);

describe('projectGridDoors', () => {
	it('lists every door of the grid, unvisited unless an event says otherwise', () => {
		const rows = projectGridDoors(grid, buildings, deriveRegister([household], []));
		expect(rows.map((r) => r.id)).toEqual(['b1-1-101', 'b1-1-102', 'b1-1-201', 'b1-1-202', 'b1-2-101']);
		expect(rows.every((r) => r.status === 'not_visited' && !r.conflict && r.visits === 0)).toBe(true);
	});

	it('names the household by its head and counts its members', () => {
		const row = projectGridDoors(grid, buildings, deriveRegister([household], [])).find((r) => r.id === 'b1-1-201');
		expect(row).toMatchObject({
			householdId: 'h-b1-1-201',
			headName: '王建国',
			memberCount: 2,
			occupancy: 'lived_in',
			flags: ['elderly_only', 'chronic_medication'],
			fieldConflict: false
		});
	});

	it('derives status and conflict from the events, per door', () => {
		const events = [
			visit({ id: 'a', entity: 'b1-1-101', outcome: 'nobody_home', wall: 1 }),
			visit({ id: 'b', entity: 'b1-1-101', outcome: 'done', wall: 2, supersedes: ['a'] }),
			visit({ id: 'c', entity: 'b1-1-102', outcome: 'refused', user: 'li' }),
			visit({ id: 'd', entity: 'b1-1-102', outcome: 'by_phone', user: 'wang' })
		];
		const rows = new Map(projectGridDoors(grid, buildings, deriveRegister([], events)).map((r) => [r.id, r]));
		expect(rows.get('b1-1-101')).toMatchObject({ status: 'done', conflict: false, visits: 2 });
		expect(rows.get('b1-1-102')).toMatchObject({ status: 'by_phone', conflict: true, visits: 2 });
		expect(rows.get('b1-1-201')).toMatchObject({ status: 'not_visited', visits: 0 });
	});

	it('gives the same rows whatever order the events arrive in', () => {
		const events = [
			visit({ id: 'a', entity: 'b1-1-101', outcome: 'nobody_home', wall: 1 }),
			visit({ id: 'b', entity: 'b1-1-101', outcome: 'done', wall: 2, supersedes: ['a'] }),
			visit({ id: 'c', entity: 'b1-1-101', outcome: 'refused', wall: 3 })
		];
		const forward = projectGridDoors(grid, buildings, deriveRegister([household], events));
		const backward = projectGridDoors(grid, buildings, deriveRegister([household], [...events].reverse()));
		expect(backward).toEqual(forward);
	});
});

describe('storeGridDoors', () => {
	let db: LocalDb | undefined;
	afterEach(async () => {
		await db?.delete();
	});

	it("replaces one grid's rows and leaves other grids alone", async () => {
		db = new LocalDb(`projection-test-${Math.random()}`);
		const rows = projectGridDoors(grid, buildings, deriveRegister([household], []));
		const otherGrid = rows.map((r) => ({ ...r, id: `x-${r.id}`, gridId: 'g02' }));
		await storeGridDoors(db, 'g02', otherGrid);
		await storeGridDoors(db, 'g01', rows);
		await storeGridDoors(db, 'g01', rows.slice(0, 2));
		expect(await db.doors.where('gridId').equals('g01').count()).toBe(2);
		expect(await db.doors.where('gridId').equals('g02').count()).toBe(otherGrid.length);
		expect(await db.doors.where('buildingId').equals('b1').count()).toBe(2 + otherGrid.length);
	});

	it('writes only the rows that changed, and removes the ones gone', async () => {
		db = new LocalDb(`projection-test-${Math.random()}`);
		const before = projectGridDoors(grid, buildings, deriveRegister([household], []));
		expect(await storeGridDoors(db, 'g01', before)).toEqual({ written: before.length, removed: 0 });
		expect(await storeGridDoors(db, 'g01', before)).toEqual({ written: 0, removed: 0 });

		const after = projectGridDoors(grid, buildings, deriveRegister([household], [visit({ id: 'a', entity: 'b1-1-101', outcome: 'done' })]));
		expect(await storeGridDoors(db, 'g01', after.slice(1))).toEqual({ written: 0, removed: 1 });
		expect(await storeGridDoors(db, 'g01', after)).toEqual({ written: 1, removed: 0 });
		expect(await db.doors.get('b1-1-101')).toMatchObject({ status: 'done', visits: 1 });
		expect(await db.doors.where('gridId').equals('g01').toArray()).toEqual(expect.arrayContaining(after));
	});
});

describe('projectGridDoors with units assigned on their own', () => {
	const g02: Grid = { v: 1, id: 'g02', name: '第2网格', buildingIds: [], units: ['b1:2'], workers: [] };
	const g01: Grid = { ...grid, buildingIds: ['b1'] };
	const events = [visit({ id: 'v2', entity: 'b1-2-101', outcome: 'done' })];

	it('a grid loses the unit another grid holds, and that grid lists it', () => {
		const lost = projectGridDoors(g01, buildings, deriveRegister([household], events), [g01, g02]);
		expect(lost.map((r) => r.id)).toEqual(['b1-1-101', 'b1-1-102', 'b1-1-201', 'b1-1-202']);
		const extra = projectGridDoors(g02, buildings, deriveRegister([], events), [g01, g02]);
		expect(extra.map((r) => [r.id, r.gridId, r.status])).toEqual([['b1-2-101', 'g02', 'done']]);
	});
});
