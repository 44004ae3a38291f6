import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as events from '$lib/domain/events';
import * as household from '$lib/domain/household';
import * as places from '$lib/domain/places';
import * as access from '$lib/domain/access';
import { rawVisit } from '../fixtures/events';

function building(overrides: Partial<places.Building> = {}): places.Building {
	return {
		v: 1,
		id: 'cp1-b9',
		compoundId: 'cp1',
		name: '9号楼',
		units: [{ no: 1, floors: 6, doorsPerFloor: 2 }],
		...overrides
	};
}

function member(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id: 'h1-m1',
		name: '王秀英',
		relation: 'head',
		sex: 'female',
		birth: '1949-12-31',
		phone: '13800138000',
		idNumber: '11010519491231002X',
		residence: 'registered',
		...overrides
	};
}

function householdInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return { v: 1, id: 'h1', doorId: 'cp1-b9-1-502', occupancy: 'lived_in', members: [member()], ...overrides };
}

function user(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		username: 'li.ming',
		displayName: '李明',
		role: 'grid_worker',
		scope: { communityId: 'c1', gridIds: ['g01'] },
		...overrides
	};
}

const accepts = (schema: { safeParse(x: unknown): { success: boolean } }, value: unknown) =>
	schema.safeParse(value).success;

describe('event schema', () => {
	const valid = () => rawVisit({ id: 'e1', supersedes: ['e0'], note: '老人说下午再来' });

	test('accepts a well-formed visit event', () => {
		expect(events.eventSchema.parse(valid())).toEqual(valid());
	});

	test('fills in an empty note when none is given', () => {
		const input = valid();
		input.value = { outcome: 'refused' };
		expect(events.eventSchema.parse(input).value).toEqual({ outcome: 'refused', note: '' });
	});

	test.each([
		['an unknown top-level field', (e: any) => ({ ...e, extra: 1 })],
		['an unknown field in the value', (e: any) => ({ ...e, value: { ...e.value, phone: '138' } })],
		['an unknown kind', (e: any) => ({ ...e, kind: 'need' })],
		['a missing kind', ({ kind, ...e }: any) => e],
		['schema version 2', (e: any) => ({ ...e, v: 2 })],
		['an outcome outside the list', (e: any) => ({ ...e, value: { outcome: 'maybe' } })],
		['an outcome in the wrong case', (e: any) => ({ ...e, value: { outcome: 'DONE' } })],
		['a note of 501 characters', (e: any) => ({ ...e, value: { outcome: 'done', note: '字'.repeat(501) } })],
		['a note that is not a string', (e: any) => ({ ...e, value: { outcome: 'done', note: 5 } })],
		['an hlc given as a number', (e: any) => ({ ...e, hlc: 1700000000000 })],
		['an hlc with 14 wall digits', (e: any) => ({ ...e, hlc: '17000000000000-000000-a' })],
		['an hlc with an upper-case counter', (e: any) => ({ ...e, hlc: '001700000000000-00000A-a' })],
		['an hlc without a node', (e: any) => ({ ...e, hlc: '001700000000000-000000-' })],
		['an hlc with a dot in the node', (e: any) => ({ ...e, hlc: '001700000000000-000000-a.b' })],
		['an id with a slash', (e: any) => ({ ...e, id: '../x' })],
		['an empty id', (e: any) => ({ ...e, id: '' })],
		['an id of 65 characters', (e: any) => ({ ...e, id: 'a'.repeat(65) })],
		['an entity with a space', (e: any) => ({ ...e, entity: 'b1 502' })],
		['an empty user', (e: any) => ({ ...e, user: '' })],
		['a user of 65 characters', (e: any) => ({ ...e, user: 'u'.repeat(65) })],
		['a missing device', ({ device, ...e }: any) => e],
		['supersedes given as a string', (e: any) => ({ ...e, supersedes: 'e0' })],
		['supersedes with a bad id', (e: any) => ({ ...e, supersedes: ['e/0'] })],
		['65 superseded ids', (e: any) => ({ ...e, supersedes: Array.from({ length: 65 }, (_, i) => `e${i}`) })]
	])('refuses %s', (_, breakIt) => {
		expect(accepts(events.eventSchema, breakIt(valid()))).toBe(false);
	});

	test('accepts the limits: a 500-character note and 64 superseded ids', () => {
		const e = valid();
		e.value = { outcome: 'done', note: '字'.repeat(500) };
		e.supersedes = Array.from({ length: 64 }, (_, i) => `e${i}`);
		expect(accepts(events.eventSchema, e)).toBe(true);
	});
});

describe('household and member schemas', () => {
	test('accepts a household and defaults its notes to empty', () => {
		const parsed = household.householdSchema.parse(householdInput());
		expect(parsed.notes).toBe('');
		expect(parsed.members[0].name).toBe('王秀英');
	});

	test('accepts an empty flat with no members and no phone', () => {
		expect(accepts(household.householdSchema, householdInput({ occupancy: 'empty', members: [] }))).toBe(true);
	});

	test('drops unknown fields rather than storing them', () => {
		const parsed = household.householdSchema.parse(householdInput({ secret: 'x' }));
		expect(parsed).not.toHaveProperty('secret');
	});

	test.each([
		['an unknown occupancy', householdInput({ occupancy: 'vacant' })],
		['a bad door id', householdInput({ doorId: 'b1/502' })],
		['31 members', householdInput({ members: Array.from({ length: 31 }, (_, i) => member({ id: `m${i}` })) })],
		['notes of 2001 characters', householdInput({ notes: 'x'.repeat(2001) })],
		['a phone of 21 characters', householdInput({ phone: '1'.repeat(21) })],
		['schema version 0', householdInput({ v: 0 })]
	])('refuses a household with %s', (_, input) => {
		expect(accepts(household.householdSchema, input)).toBe(false);
	});

	test.each([
		['an empty name', member({ name: '' })],
		['a name of 41 characters', member({ name: '名'.repeat(41) })],
		['an unknown relation', member({ relation: 'cousin' })],
		['an unknown sex', member({ sex: 'x' })],
		['birth year 1899', member({ birth: '1899' })],
		['birth year 2101', member({ birth: '2101' })],
		['a birth date that does not exist', member({ birth: '1949-02-30' })],
		['a birth year as a number', member({ birth: 1949 })],
		['a mobile with a wrong prefix', member({ phone: '12800138000' })],
		['an ID number with a wrong check character', member({ idNumber: '110105194912310021' })],
		['an ID number of 19 characters', member({ idNumber: '11010519491231002X1' })],
		['an unknown residence status', member({ residence: 'visitor' })],
		['no id', member({ id: undefined })]
	])('refuses a member with %s', (_, input) => {
		expect(accepts(household.memberSchema, input)).toBe(false);
	});

	test('headName is the head, else the first member, else nothing', () => {
		const h = (members: Record<string, unknown>[]) => household.householdSchema.parse(householdInput({ members }));
		const spouse = member({ id: 'm2', name: '李建国', relation: 'spouse', sex: 'male' });
		expect(household.headName(h([spouse, member()]))).toBe('王秀英');
		expect(household.headName(h([spouse]))).toBe('李建国');
		expect(household.headName(h([]))).toBeUndefined();
	});
});

describe('place schemas', () => {
	test('accepts a building, a compound, a grid and a community', () => {
		expect(accepts(places.buildingSchema, building())).toBe(true);
		expect(accepts(places.compoundSchema, { v: 1, id: 'cp1', name: '幸福里' })).toBe(true);
		expect(accepts(places.gridSchema, { v: 1, id: 'g01', name: '第1网格', buildingIds: ['cp1-b9'], workers: ['li'] })).toBe(true);
		expect(accepts(places.communitySchema, { v: 1, id: 'c1', name: '东风社区' })).toBe(true);
	});

	test.each([
		['no units', building({ units: [] })],
		['a unit with 0 floors', building({ units: [{ no: 1, floors: 0, doorsPerFloor: 2 }] })],
		['a unit with 100 floors', building({ units: [{ no: 1, floors: 100, doorsPerFloor: 2 }] })],
		['a unit with 41 doors a floor', building({ units: [{ no: 1, floors: 6, doorsPerFloor: 41 }] })],
		['a unit numbered 0', building({ units: [{ no: 0, floors: 6, doorsPerFloor: 2 }] })],
		['a fractional floor count', building({ units: [{ no: 1, floors: 5.5, doorsPerFloor: 2 }] })],
		['an empty name', building({ name: '' })],
		['a bad compound id', building({ compoundId: 'cp 1' })],
		['an id too long for its door ids', building({ id: 'b'.repeat(57) })]
	])('refuses a building with %s', (_, input) => {
		expect(accepts(places.buildingSchema, input)).toBe(false);
	});

	test('refuses a grid with a bad building id and a community with no name', () => {
		expect(accepts(places.gridSchema, { v: 1, id: 'g01', name: 'g', buildingIds: ['a/b'], workers: [] })).toBe(false);
		expect(accepts(places.communitySchema, { v: 1, id: 'c1', name: '' })).toBe(false);
	});
});

describe('doors of a unit', () => {
	const b = building({ id: 'cp1-b9', units: [{ no: 1, floors: 6, doorsPerFloor: 2 }, { no: 2, floors: 12, doorsPerFloor: 3 }] });
	const [unit1, unit2] = b.units;

	test('derives one door per floor and position, labelled as written on the door', () => {
		const doors = places.doorsOfUnit(b, unit1);
		expect(doors).toHaveLength(12);
		expect(doors.map((d) => d.label)).toEqual(['101', '102', '201', '202', '301', '302', '401', '402', '501', '502', '601', '602']);
		expect(doors.find((d) => d.label === '502')).toEqual({
			id: 'cp1-b9-1-502',
			buildingId: 'cp1-b9',
			unitNo: 1,
			floor: 5,
			position: 2,
			label: '502'
		});
	});

	test('labels two-digit floors like "1203"', () => {
		const door = places.doorsOfUnit(b, unit2).find((d) => d.floor === 12 && d.position === 3);
		expect(door?.label).toBe('1203');
		expect(door?.id).toBe('cp1-b9-2-1203');
	});

	test('floorRows puts the top floor first and doors left to right', () => {
		const rows = places.floorRows(b, unit2);
		expect(rows).toHaveLength(12);
		expect(rows[0].map((d) => d.label)).toEqual(['1201', '1202', '1203']);
		expect(rows[11].map((d) => d.label)).toEqual(['101', '102', '103']);
		expect(rows.map((row) => row[0].floor)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
	});

	test('door ids of a building are unique across its units', () => {
		const ids = places.doorsOfBuilding(b).map((d) => d.id);
		expect(ids).toHaveLength(12 + 36);
		expect(new Set(ids).size).toBe(ids.length);
	});

	test('every valid building has unique door ids that are themselves valid ids', () => {
		const unitArb = fc.record({
			floors: fc.integer({ min: 1, max: 99 }),
			doorsPerFloor: fc.integer({ min: 1, max: 40 })
		});
		const idChar = fc.constantFrom(...'abcXYZ019_-');
		const buildingArb = fc.record({
			// Every length from 1 to 64 is equally likely, so the long ids are tried too.
			id: fc.integer({ min: 1, max: 64 }).chain((length) => fc.string({ unit: idChar, minLength: length, maxLength: length })),
			units: fc.array(unitArb, { minLength: 1, maxLength: 3 }),
			firstUnitNo: fc.integer({ min: 1, max: 97 })
		});
		fc.assert(
			fc.property(buildingArb, ({ id, units, firstUnitNo }) => {
				const input = building({ id, units: units.map((u, i) => ({ no: firstUnitNo + i, ...u })) });
				const parsed = places.buildingSchema.safeParse(input);
				fc.pre(parsed.success);
				const ids = places.doorsOfBuilding(parsed.data!).map((d) => d.id);
				expect(ids.filter((doorId) => !places.idSchema.safeParse(doorId).success)).toEqual([]);
				expect(new Set(ids).size).toBe(ids.length);
			}),
			{ numRuns: 60 }
		);
	});
});

describe('user and scope schemas', () => {
	test('accepts a user and defaults disabled to false', () => {
		expect(access.userSchema.parse(user()).disabled).toBe(false);
	});

	test.each([
		['an unknown field', user({ password: 'x' })],
		['an unknown field in the scope', user({ scope: { communityId: 'c1', gridIds: [], admin: true } })],
		['an upper-case username', user({ username: 'LiMing' })],
		['a one-letter username', user({ username: 'l' })],
		['a username of 33 characters', user({ username: 'l'.repeat(33) })],
		['a Chinese username', user({ username: '李明' })],
		['an unknown role', user({ role: 'admin' })],
		['an empty display name', user({ displayName: '' })],
		['a bad grid id in the scope', user({ scope: { communityId: 'c1', gridIds: ['../g'] } })],
		['a scope without a community', user({ scope: { gridIds: [] } })],
		['disabled given as a string', user({ disabled: 'no' })]
	])('refuses a user with %s', (_, input) => {
		expect(accepts(access.userSchema, input)).toBe(false);
	});
});
