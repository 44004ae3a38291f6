/**
 * The door projection: derived from the community index and a register's households and
 * events.
 */
import { describe, expect, it } from 'vitest';
import { gridProgress, projectGridDoors } from '$lib/data/projections';
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

describe('gridProgress', () => {
	it('counts doors visited with any outcome, in all and per building', () => {
		const building2: Building = { ...building, id: 'b2', name: '2号楼', units: [{ no: 1, floors: 1, doorsPerFloor: 2 }] };
		const twoBuildings = new Map([...buildings, [building2.id, building2]]);
		const events = [
			visit({ id: 'a', entity: 'b1-1-101', outcome: 'nobody_home' }),
			visit({ id: 'b', entity: 'b1-1-102', outcome: 'refused' }),
			visit({ id: 'c', entity: 'b2-1-101', outcome: 'done' })
		];
		const rows = projectGridDoors({ ...grid, buildingIds: ['b1', 'b2'] }, twoBuildings, deriveRegister([], events));
		expect(gridProgress('g01', rows)).toEqual({
			gridId: 'g01',
			done: 3,
			total: 7,
			buildings: { b1: { done: 2, total: 5 }, b2: { done: 1, total: 2 } }
		});
	});

	it('is empty for a grid without doors', () => {
		expect(gridProgress('g02', [])).toEqual({ gridId: 'g02', done: 0, total: 0, buildings: {} });
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
