import { describe, expect, test } from 'vitest';
import * as access from '$lib/domain/access';
import type { Access, DocumentRef, Role, User } from '$lib/domain/access';

/** Every user below works in community c1, grid g1. */
function user(role: Role, disabled = false): User {
	return access.userSchema.parse({
		username: `${role.replace('_', '.')}`,
		displayName: role,
		role,
		scope: { communityId: 'c1', gridIds: role === 'coordinator' ? [] : ['g1'] },
		disabled
	});
}

/** The documents a user can be asked about, relative to that user's scope. */
const docs: Record<string, DocumentRef> = {
	'own index': { kind: 'index', communityId: 'c1' },
	'other community index': { kind: 'index', communityId: 'c2' },
	'own grid register': { kind: 'register', communityId: 'c1', gridId: 'g1' },
	'other grid register (same community)': { kind: 'register', communityId: 'c1', gridId: 'g2' },
	'other community register (same grid id)': { kind: 'register', communityId: 'c2', gridId: 'g1' }
};

type Expected = Access | null;
const none = null;

/**
 * Expected access, written by hand from the rules in DESIGN.md §4 and access.ts's contract:
 * coordinators write everything in their community; everyone else reads the index; grid workers
 * write their own grids' registers, testers and volunteers read them; nothing outside the
 * community; a disabled account gets nothing.
 */
const table: [Role, boolean, string, Expected][] = [
	['coordinator', false, 'own index', 'write'],
	['coordinator', false, 'other community index', none],
	['coordinator', false, 'own grid register', 'write'],
	['coordinator', false, 'other grid register (same community)', 'write'],
	['coordinator', false, 'other community register (same grid id)', none],
	['grid_worker', false, 'own index', 'read'],
	['grid_worker', false, 'other community index', none],
	['grid_worker', false, 'own grid register', 'write'],
	['grid_worker', false, 'other grid register (same community)', none],
	['grid_worker', false, 'other community register (same grid id)', none],
	['tester', false, 'own index', 'read'],
	['tester', false, 'other community index', none],
	['tester', false, 'own grid register', 'read'],
	['tester', false, 'other grid register (same community)', none],
	['tester', false, 'other community register (same grid id)', none],
	['volunteer', false, 'own index', 'read'],
	['volunteer', false, 'other community index', none],
	['volunteer', false, 'own grid register', 'read'],
	['volunteer', false, 'other grid register (same community)', none],
	['volunteer', false, 'other community register (same grid id)', none],
	...access.roles.flatMap((role) => Object.keys(docs).map((doc): [Role, boolean, string, Expected] => [role, true, doc, none]))
];

describe('accessTo', () => {
	test('the table covers every role × document × enabled/disabled exactly once', () => {
		const cells = new Set(table.map(([role, disabled, doc]) => `${role}|${disabled}|${doc}`));
		expect(cells.size).toBe(table.length);
		expect(table.length).toBe(access.roles.length * Object.keys(docs).length * 2);
	});

	test.each(table)('%s (disabled: %s) → %s: %s', (role, disabled, doc, expected) => {
		expect(access.accessTo(user(role, disabled), docs[doc])).toBe(expected);
	});
});

describe('documentsFor', () => {
	const communityGrids = ['g1', 'g2', 'g3'];

	test('a coordinator writes the index and every grid register of the community', () => {
		expect(access.documentsFor(user('coordinator'), communityGrids)).toEqual([
			{ name: 'c1/index', ref: { kind: 'index', communityId: 'c1' }, access: 'write' },
			{ name: 'c1/register/g1', ref: { kind: 'register', communityId: 'c1', gridId: 'g1' }, access: 'write' },
			{ name: 'c1/register/g2', ref: { kind: 'register', communityId: 'c1', gridId: 'g2' }, access: 'write' },
			{ name: 'c1/register/g3', ref: { kind: 'register', communityId: 'c1', gridId: 'g3' }, access: 'write' }
		]);
	});

	test('a grid worker reads the index and writes only their own grids that exist', () => {
		const worker = access.userSchema.parse({
			username: 'li',
			displayName: '李',
			role: 'grid_worker',
			scope: { communityId: 'c1', gridIds: ['g3', 'g9'] }
		});
		expect(access.documentsFor(worker, communityGrids)).toEqual([
			{ name: 'c1/index', ref: { kind: 'index', communityId: 'c1' }, access: 'read' },
			{ name: 'c1/register/g3', ref: { kind: 'register', communityId: 'c1', gridId: 'g3' }, access: 'write' }
		]);
	});

	test('a disabled user gets no document at all', () => {
		expect(access.documentsFor(user('coordinator', true), communityGrids)).toEqual([]);
		expect(access.documentsFor(user('grid_worker', true), communityGrids)).toEqual([]);
	});
});

describe('document names', () => {
	test('round-trip through documentName and parseDocumentName', () => {
		for (const ref of Object.values(docs)) expect(access.parseDocumentName(access.documentName(ref))).toEqual(ref);
		expect(access.parseDocumentName('c1/index')).toEqual({ kind: 'index', communityId: 'c1' });
		expect(access.parseDocumentName('c1/register/g01')).toEqual({ kind: 'register', communityId: 'c1', gridId: 'g01' });
	});

	test.each([
		'',
		'../x',
		'c1/../index',
		'../c1/index',
		'c1',
		'c1/',
		'c1/index/extra',
		'c1/register',
		'c1/register/',
		'c1/register/g1/extra',
		'c1/register/g1/../g2',
		'/c1/index',
		'c1//index',
		'c1/Index',
		'c1/roster/g1',
		'c1/register/g 1',
		'c1/register/g1\n',
		'c1/index%00',
		`${'c'.repeat(65)}/index`
	])('parseDocumentName refuses %j', (name) => {
		expect(access.parseDocumentName(name)).toBeNull();
	});
});
