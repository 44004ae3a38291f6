/**
 * The resident projection: every member of a grid's households as a search row (with real
 * pinyin-pro for the pinyin), stored in Dexie (fake-indexeddb here) a grid at a time.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { liveQuery } from 'dexie';
import * as pinyinPro from 'pinyin-pro';
import { LocalDb } from '$lib/data/local-db';
import { loadPinyin, namePinyin, projectGridResidents, refreshResidents, storeGridResidents, type ResidentRecord } from '$lib/data/resident-projection';
import { deriveRegister } from '$lib/domain/register';
import { createEvent, type HouseholdEvent } from '$lib/domain/events';
import * as hlc from '$lib/domain/hlc';
import type { Building, Compound, Grid } from '$lib/domain/places';
import type { Household, Member } from '$lib/domain/household';

const building: Building = {
	v: 1,
	id: 'cp1-b9',
	compoundId: 'cp1',
	name: '9号楼',
	units: [
		{ no: 1, floors: 1, doorsPerFloor: 1 },
		{ no: 2, floors: 5, doorsPerFloor: 2 }
	]
};
const compound: Compound = { v: 1, id: 'cp1', name: '幸福里' };
const grid: Grid = { v: 1, id: 'g01', name: '第1网格', buildingIds: ['cp1-b9', 'missing-building'], workers: [] };
const buildings = new Map([[building.id, building]]);
const compounds = new Map([[compound.id, compound]]);
const index = { buildings: [building], compounds: [compound] };

const member = (init: Partial<Member> & Pick<Member, 'id' | 'name'>): Member => ({
	relation: 'other',
	sex: 'female',
	birth: '1960',
	residence: 'registered',
	flags: [],
	...init
});

const household = (doorId: string, members: Member[]): Household => ({
	v: 1,
	id: `h-${doorId}`,
	doorId,
	occupancy: 'lived_in',
	members,
	passCards: 1,
	flags: [],
	notes: ''
});

const households = [
	household('cp1-b9-2-502', [
		member({ id: 'm1', name: '曾国藩', relation: 'head', sex: 'male', phone: '13800135512', idNumber: '11010519491231002X' }),
		member({ id: 'm2', name: '单秀英', relation: 'spouse' })
	]),
	household('cp1-b9-1-101', [member({ id: 'm3', name: '解缙', relation: 'head', sex: 'male', idNumber: '440524188001010014' })]),
	// A household behind a door of a building that is not in the grid: not projected.
	household('cp2-b1-1-101', [member({ id: 'm4', name: '王芳' })]),
	household('cp1-b9-2-101', [])
];

const fakePinyin = (name: string) => ({ pinyin: `py-${name}`, initials: `in-${name}` });

function edit(entity: string, field: string, value: unknown, wall: number): HouseholdEvent {
	return createEvent<HouseholdEvent>({ kind: 'household', entity, field, value, user: 'li' }, hlc.create('phone-a'), wall, `e${wall}`).event;
}

const dbs: LocalDb[] = [];
function openDb(name = `residents-${dbs.length}-${Math.random()}`) {
	const db = new LocalDb(name);
	dbs.push(db);
	return db;
}

afterEach(async () => {
	for (const db of dbs.splice(0)) await db.delete();
});

describe('projectGridResidents', () => {
	it('lists every member behind the grid’s doors, in door order, with place and door', () => {
		const rows = projectGridResidents(grid, buildings, compounds, deriveRegister(households, []), fakePinyin);
		expect(rows.map((r) => [r.id, r.doorId, r.place, r.doorLabel, r.name, r.relation])).toEqual([
			['m3', 'cp1-b9-1-101', '幸福里 9号楼 1单元', '101', '解缙', 'head'],
			['m1', 'cp1-b9-2-502', '幸福里 9号楼 2单元', '502', '曾国藩', 'head'],
			['m2', 'cp1-b9-2-502', '幸福里 9号楼 2单元', '502', '单秀英', 'spouse']
		]);
		expect(rows[1]).toEqual({
			id: 'm1',
			householdId: 'h-cp1-b9-2-502',
			doorId: 'cp1-b9-2-502',
			gridId: 'g01',
			buildingId: 'cp1-b9',
			unitNo: 2,
			doorLabel: '502',
			place: '幸福里 9号楼 2单元',
			name: '曾国藩',
			relation: 'head',
			pinyin: 'py-曾国藩',
			initials: 'in-曾国藩',
			phone: '13800135512',
			idMasked: '110***********002X',
			idTail: '31002X'
		});
	});

	it('keeps only the masked ID number and its last six characters', () => {
		const rows = projectGridResidents(grid, buildings, compounds, deriveRegister(households, []), fakePinyin);
		const text = JSON.stringify(rows);
		expect(text).not.toContain('11010519491231002X');
		expect(text).not.toContain('440524188001010014');
		expect(rows.find((r) => r.id === 'm3')).toMatchObject({ idMasked: '440***********0014', idTail: '010014' });
		expect(rows.find((r) => r.id === 'm2')).not.toHaveProperty('idTail', expect.anything());
	});

	it('follows edits: a renamed member, a new member, a removed member', () => {
		const events = [
			edit('h-cp1-b9-2-502', 'member.m2.name', '单秀兰', 1),
			edit('h-cp1-b9-2-502', 'member.m9.name', '曾小明', 2),
			edit('h-cp1-b9-2-502', 'member.m9.relation', 'child', 3),
			edit('h-cp1-b9-1-101', 'member.m3.removed', true, 4),
			// A member whose name has not been typed yet has nothing to search by.
			edit('h-cp1-b9-2-101', 'member.m7.phone', '13912345678', 5)
		];
		const rows = projectGridResidents(grid, buildings, compounds, deriveRegister(households, events), fakePinyin);
		expect(rows.map((r) => [r.id, r.name, r.relation])).toEqual([
			['m1', '曾国藩', 'head'],
			['m2', '单秀兰', 'spouse'],
			['m9', '曾小明', 'child']
		]);
	});
});

describe('pinyin with pinyin-pro', () => {
	it.each([
		['曾国藩', 'zengguofan', 'zgf'],
		['单雄信', 'shanxiongxin', 'sxx'],
		['解缙', 'xiejin', 'xj'],
		['王秀英', 'wangxiuying', 'wxy'],
		['吕绿', 'lvlv', 'll'],
		['欧阳娜娜', 'ouyangnana', 'oynn'],
		['阿卜杜·热合曼', 'abudureheman', 'abdrhm'],
		['Ｔｏｍ 王', 'tomwang', 'tomw']
	])('%s → %s, %s', (name, pinyin, initials) => {
		expect(namePinyin(pinyinPro, name)).toEqual({ pinyin, initials });
	});

	it('reads a surname only at the start of the name', () => {
		// 单 as a surname is shan, in a given name dan; 曾 likewise zeng and ceng.
		expect(namePinyin(pinyinPro, '单单').pinyin).toBe('shandan');
		expect(namePinyin(pinyinPro, '曾曾').pinyin).toBe('zengceng');
	});

	it('loads lazily and converts each name once', async () => {
		const toPinyin = await loadPinyin();
		const first = toPinyin('曾国藩');
		expect(first).toEqual({ pinyin: 'zengguofan', initials: 'zgf' });
		expect(toPinyin('曾国藩')).toBe(first);
	});
});

describe('storing residents', () => {
	const row = (id: string, gridId: string): ResidentRecord => ({
		id,
		householdId: 'h1',
		doorId: 'd1',
		gridId,
		buildingId: 'b1',
		unitNo: 1,
		doorLabel: '101',
		place: '幸福里 1号楼 1单元',
		name: id,
		pinyin: id,
		initials: id
	});

	it('replaces one grid’s rows and leaves the other grids’', async () => {
		const db = openDb();
		await storeGridResidents(db, 'g01', [row('a', 'g01'), row('b', 'g01')]);
		await storeGridResidents(db, 'g02', [row('c', 'g02')]);
		await storeGridResidents(db, 'g01', [row('b', 'g01'), row('d', 'g01')]);
		expect((await db.residents.toArray()).map((r) => r.id).sort()).toEqual(['b', 'c', 'd']);
	});

	it('refreshResidents stores rows with real pinyin, and skips the write when nothing changed', async () => {
		const db = openDb();
		await refreshResidents(db, grid, index, deriveRegister(households, []));
		expect(await db.residents.get('m1')).toMatchObject({ pinyin: 'zengguofan', initials: 'zgf', idTail: '31002X' });

		// A visit, or the app started again, re-derives the same people: nothing is written.
		await db.residents.update('m1', { name: 'marker' });
		await refreshResidents(db, grid, index, deriveRegister(households, []));
		expect((await db.residents.get('m1'))?.name).toBe('marker');

		// A change of a resident rewrites the grid.
		await refreshResidents(db, grid, index, deriveRegister(households, [edit('h-cp1-b9-2-502', 'member.m1.phone', '13912345678', 1)]));
		expect(await db.residents.get('m1')).toMatchObject({ name: '曾国藩', phone: '13912345678' });
		expect(await db.residents.count()).toBe(3);
	});

	it('refreshResidents rewrites rows that went missing or were stored without a fingerprint', async () => {
		const db = openDb();
		const register = deriveRegister(households, []);
		await refreshResidents(db, grid, index, register);
		await db.residents.delete('m2');
		await refreshResidents(db, grid, index, register);
		expect(await db.residents.count()).toBe(3);

		await storeGridResidents(db, grid.id, []);
		await refreshResidents(db, grid, index, register);
		expect(await db.residents.count()).toBe(3);
	});

	it('is seen by a live query on another connection to the same database, as the search screen has', async () => {
		const name = `residents-live-${Math.random()}`;
		const writer = openDb(name);
		const reader = openDb(name);
		const seen: number[] = [];
		const subscription = liveQuery(() => reader.residents.count()).subscribe((n) => seen.push(n));
		try {
			await expect.poll(() => seen).toEqual([0]);
			await refreshResidents(writer, grid, index, deriveRegister(households, []));
			await expect.poll(() => seen.at(-1)).toBe(3);
		} finally {
			subscription.unsubscribe();
			reader.close();
		}
	});
});
