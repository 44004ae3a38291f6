import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as household from '$lib/domain/household';
import * as events from '$lib/domain/events';
import type { FieldPath, Household } from '$lib/domain/household';
import { DOOR, HOUSEHOLD, ID_FEMALE_1949, baseHousehold, householdEdit, member, validId } from '../fixtures/household';

const values = (entries: [string, unknown][]) => new Map(entries);
const apply = (entries: [string, unknown][], base: Household | undefined = BASE) =>
	household.applyFieldValues(base, DOOR, values(entries));

const BASE = baseHousehold({
	phone: '13800138000',
	passCards: 1,
	flags: ['elderly_only'],
	notes: '老两口',
	members: [
		member({ id: 'm1', name: '王秀英', relation: 'head', idNumber: ID_FEMALE_1949, phone: '13900139000' }),
		member({ id: 'm2', name: '李建国', relation: 'spouse', sex: 'male', birth: '1948', flags: ['chronic_medication'] })
	]
});

describe('field paths', () => {
	test.each<[string, FieldPath]>([
		['occupancy', { scope: 'household', field: 'occupancy' }],
		['phone', { scope: 'household', field: 'phone' }],
		['passCards', { scope: 'household', field: 'passCards' }],
		['notes', { scope: 'household', field: 'notes' }],
		['flag.elderly_alone', { scope: 'household', flag: 'elderly_alone' }],
		['member.m1.name', { scope: 'member', memberId: 'm1', field: 'name' }],
		['member.h-1_x.idNumber', { scope: 'member', memberId: 'h-1_x', field: 'idNumber' }],
		['member.m1.removed', { scope: 'member', memberId: 'm1', field: 'removed' }],
		['member.m1.flag.pregnant', { scope: 'member', memberId: 'm1', flag: 'pregnant' }]
	])('parses %s and prints it back', (path, parsed) => {
		expect(household.parseFieldPath(path)).toEqual(parsed);
		expect(household.fieldPath(parsed)).toBe(path);
	});

	test('every household field, member field and flag round-trips', () => {
		const leaves = [...household.householdFields, ...household.flags.map((f) => `flag.${f}`)];
		const memberLeaves = [...household.memberFields, ...household.flags.map((f) => `flag.${f}`)];
		fc.assert(
			fc.property(
				fc.oneof(
					fc.constantFrom(...leaves),
					fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.constantFrom(...memberLeaves)).map(([id, leaf]) => `member.${id}.${leaf}`)
				),
				(path) => {
					const parsed = household.parseFieldPath(path);
					expect(parsed).not.toBeNull();
					expect(household.fieldPath(parsed!)).toBe(path);
					expect(household.fieldValueSchema(path)).not.toBeNull();
				}
			)
		);
	});

	test.each([
		'',
		'member..name',
		'member.m1.',
		'member.m1',
		'member.name',
		'flag.unknown',
		'flag.',
		'flag',
		'flag.Elderly_alone',
		'member.x.secret',
		'member.x.flag.unknown',
		'member.m.1.name',
		`member.${'m'.repeat(65)}.name`,
		'member.m 1.name',
		'secret',
		'name',
		'removed',
		'__proto__',
		'member.m1.__proto__',
		'constructor',
		'toString',
		'hasOwnProperty',
		'valueOf',
		'member.m1.constructor',
		'member.m1.toString',
		'member.m1.flag.constructor',
		'phone ',
		' phone',
		'Phone',
		'household.phone'
	])('refuses %j', (path) => {
		expect(household.parseFieldPath(path)).toBeNull();
		expect(household.fieldValueSchema(path)).toBeNull();
	});

	test('an event on a path inherited from Object.prototype is refused as an unknown field, not thrown on', () => {
		for (const field of ['constructor', 'toString', 'member.m1.valueOf']) {
			const result = events.householdEventSchema.safeParse({
				v: 1,
				id: 'e1',
				kind: 'household',
				entity: HOUSEHOLD,
				field,
				value: 'x',
				user: 'wang',
				device: 'phone-a',
				hlc: '001700000000000-000000-phone-a',
				supersedes: []
			});
			expect(result.success, field).toBe(false);
			expect(result.error!.issues.map((i) => i.path)).toEqual([['field']]);
		}
	});
});

describe('fieldValueSchema', () => {
	const accepts = (path: string, value: unknown) => household.fieldValueSchema(path)!.safeParse(value).success;

	test.each<[string, unknown[], unknown[]]>([
		['occupancy', ['lived_in', 'empty', 'rented_out', 'shop', 'other'], ['vacant', '', null, 1]],
		['phone', ['13800138000', '010-12345678', ''], ['+86 13800138000', '138 0013 8000', '12345', '12800138000', null]],
		['passCards', [0, 1, 20], [21, -1, 1.5, '2', null]],
		['notes', ['', '独居老人', 'x'.repeat(2000)], ['x'.repeat(2001), null, 3]],
		['flag.bedridden', [true, false], ['yes', 1, null]],
		['member.m1.name', ['王秀英', 'x'.repeat(40)], ['', '   ', 'x'.repeat(41), null]],
		['member.m1.relation', ['head', 'tenant'], ['cousin', '']],
		['member.m1.sex', ['male', 'female'], ['other', '']],
		['member.m1.birth', ['1980', '1980-02-29', '2000-12-31'], ['1981-02-29', '1980-1-2', '19800102', '1899', '', null]],
		['member.m1.phone', ['13800138000', ''], ['+8613800138000', 'abc']],
		['member.m1.idNumber', [ID_FEMALE_1949, validId('19800102', 'male'), ''], ['11010519491231002x', '110105194912310021', ' 11010519491231002X']],
		['member.m1.residence', ['registered', 'long_term', 'temporary', 'accompanying_student'], ['visitor', '']],
		['member.m1.removed', [true, false], ['true', 0]],
		['member.m1.flag.pregnant', [true, false], ['', null]]
	])('%s accepts its values and refuses others', (path, good, bad) => {
		for (const value of good) expect(accepts(path, value), JSON.stringify(value)).toBe(true);
		for (const value of bad) expect(accepts(path, value), JSON.stringify(value)).toBe(false);
	});

	test('a household event carries the field rule: a value that does not fit its path is refused', () => {
		expect(() => householdEdit({ id: 'e1', field: 'passCards', value: 3 })).not.toThrow();
		expect(() => householdEdit({ id: 'e1', field: 'passCards', value: 30 })).toThrow(/invalid value for passCards/);
		expect(() => householdEdit({ id: 'e1', field: 'member.m1.phone', value: '+86 138 0013 8000' })).toThrow(/invalid value/);
		expect(() => householdEdit({ id: 'e1', field: 'member.x.secret', value: 'x' })).toThrow(/unknown field/);
	});
});

describe('applyFieldValues', () => {
	test('no edits give the base record back, unchanged and not mutated', () => {
		const before = structuredClone(BASE);
		expect(apply([])).toEqual(BASE);
		apply([
			['member.m1.name', '王芳'],
			['member.m2.flag.bedridden', true],
			['flag.elderly_only', false],
			['member.m1.removed', true]
		]);
		expect(BASE).toEqual(before);
	});

	test('applies every household field', () => {
		const result = apply([
			['occupancy', 'rented_out'],
			['phone', '010-12345678'],
			['passCards', 3],
			['notes', '租客一家三口']
		]);
		expect(result).toMatchObject({ occupancy: 'rented_out', phone: '010-12345678', passCards: 3, notes: '租客一家三口' });
		expect(result.members).toEqual(BASE.members);
	});

	test('applies member fields to the member named, and only to it', () => {
		const result = apply([
			['member.m1.name', '王芳'],
			['member.m1.birth', '1949'],
			['member.m2.phone', '13700137000'],
			['member.m2.residence', 'long_term']
		]);
		expect(result.members).toEqual([
			{ ...BASE.members[0], name: '王芳', birth: '1949' },
			{ ...BASE.members[1], phone: '13700137000', residence: 'long_term' }
		]);
	});

	test('a member edited but not in the base is added after the base members', () => {
		const result = apply([
			['member.n1.name', '李小宝'],
			['member.n1.relation', 'grandchild'],
			['member.n1.birth', '2023-05-01'],
			['member.n1.flag.infant', true]
		]);
		expect(result.members.map((m) => m.id)).toEqual(['m1', 'm2', 'n1']);
		expect(result.members[2]).toEqual({
			id: 'n1',
			name: '李小宝',
			relation: 'grandchild',
			sex: 'male',
			birth: '2023-05-01',
			residence: 'registered',
			flags: ['infant']
		});
		expect(() => household.householdSchema.parse(result)).not.toThrow();
	});

	test('a member created by edits that still lacks a name or birth is there, but the file does not validate yet', () => {
		const result = apply([['member.n1.relation', 'child']]);
		expect(result.members.map((m) => m.id)).toEqual(['m1', 'm2', 'n1']);
		expect(household.householdSchema.safeParse(result).success).toBe(false);
	});

	test('removed members are left out; removed: false keeps or brings one back', () => {
		expect(apply([['member.m1.removed', true]]).members.map((m) => m.id)).toEqual(['m2']);
		expect(apply([['member.m1.removed', false]]).members.map((m) => m.id)).toEqual(['m1', 'm2']);
		const added = apply([
			['member.n1.name', '张三'],
			['member.n1.removed', true]
		]);
		expect(added.members.map((m) => m.id)).toEqual(['m1', 'm2']);
	});

	test('edits of a removed member do not bring it back', () => {
		const result = apply([
			['member.m2.removed', true],
			['member.m2.name', '李建军']
		]);
		expect(result.members.map((m) => m.id)).toEqual(['m1']);
	});

	test('household flags turn on and off and stay in the canonical order', () => {
		const result = apply([
			['flag.home_isolation', true],
			['flag.elderly_alone', true],
			['flag.elderly_only', false],
			['flag.disability', false]
		]);
		expect(result.flags).toEqual(['elderly_alone', 'home_isolation']);
	});

	test('member flags turn on and off and stay in the canonical order', () => {
		const result = apply([
			['member.m2.flag.bedridden', true],
			['member.m2.flag.chronic_medication', false],
			['member.m2.flag.elderly_alone', true],
			['member.m1.flag.disability', true]
		]);
		expect(result.members.map((m) => m.flags)).toEqual([['disability'], ['elderly_alone', 'bedridden']]);
	});

	test("'' clears an optional field", () => {
		const result = apply([
			['phone', ''],
			['notes', ''],
			['member.m1.phone', ''],
			['member.m1.idNumber', '']
		]);
		expect(result.phone).toBeUndefined();
		expect(result.notes).toBe('');
		expect(result.members[0].phone).toBeUndefined();
		expect(result.members[0].idNumber).toBeUndefined();
		expect(household.householdSchema.safeParse(result).success).toBe(true);
	});

	test('unknown paths are ignored', () => {
		expect(
			apply([
				['member.x.secret', 'x'],
				['flag.unknown', true],
				['constructor', 'x'],
				['member.m1.toString', 'x'],
				['__proto__', { polluted: true }]
			])
		).toEqual(BASE);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	test('with no base record, a new household is made for the door', () => {
		const result = household.applyFieldValues(undefined, 'b2-1-101', values([['occupancy', 'empty']]));
		expect(result).toEqual({
			v: 1,
			id: household.householdIdOf('b2-1-101'),
			doorId: 'b2-1-101',
			occupancy: 'empty',
			members: [],
			passCards: 0,
			flags: [],
			notes: ''
		});
		expect(household.householdIdOf('b2-1-101')).toBe('h-b2-1-101');
	});

	test('the same values in any Map insertion order give the same household, members in the same order', () => {
		const entries: [string, unknown][] = [
			['member.n2.name', '乙'],
			['member.n1.name', '甲'],
			['member.n1.flag.pregnant', true],
			['member.m1.removed', true],
			['member.n3.birth', '2020'],
			['phone', ''],
			['passCards', 4],
			['flag.infant', true],
			['member.m2.flag.chronic_medication', false],
			['notes', '']
		];
		const expected = apply(entries);
		expect(expected.members.map((m) => m.id)).toEqual(['m2', 'n1', 'n2', 'n3']);
		fc.assert(
			fc.property(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), (shuffled) => {
				expect(apply(shuffled)).toEqual(expected);
			})
		);
	});
});

describe('allFlags', () => {
	test('lists household and member flags once each, in the canonical order', () => {
		const h = baseHousehold({
			flags: ['home_isolation', 'elderly_only'],
			members: [
				member({ id: 'm1', flags: ['disability', 'elderly_only'] }),
				member({ id: 'm2', flags: ['bedridden'] })
			]
		});
		expect(household.allFlags(h)).toEqual(['elderly_only', 'bedridden', 'disability', 'home_isolation']);
	});

	test('a household with no flags anywhere has none', () => {
		expect(household.allFlags(baseHousehold({ members: [member({ id: 'm1' })] }))).toEqual([]);
	});

	test('a removed member no longer contributes its flags', () => {
		expect(household.allFlags(apply([['member.m2.removed', true]]))).toEqual(['elderly_only']);
		expect(household.allFlags(BASE)).toEqual(['elderly_only', 'chronic_medication']);
	});
});
