import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as visits from '$lib/domain/visits';
import type { DoorFilter, DoorStatus, FilterableDoor } from '$lib/domain/visits';

const door = (id: string, status: DoorStatus = 'not_visited', init: Partial<FilterableDoor> = {}) => ({
	id,
	status,
	flags: [] as string[],
	...init
});

describe('matchesFilter', () => {
	/** Which statuses each status filter shows, written from the building screen's legend. */
	const byStatus: Record<'not_visited' | 'revisit' | 'done', DoorStatus[]> = {
		not_visited: ['not_visited'],
		revisit: ['nobody_home'],
		done: ['done', 'by_phone']
	};

	test.each(Object.entries(byStatus))('%s shows doors with status %j and no others', (filter, shown) => {
		for (const status of visits.doorStatuses) {
			expect(visits.matchesFilter(door('d', status), filter as DoorFilter), status).toBe(shown.includes(status));
		}
	});

	test('a refused door is neither done nor to revisit nor unvisited', () => {
		const refused = door('d', 'refused');
		expect(visits.doorFilters.filter((f) => visits.matchesFilter(refused, f))).toEqual(['all']);
	});

	test('all shows every door', () => {
		for (const status of visits.doorStatuses) expect(visits.matchesFilter(door('d', status, { flags: ['x'] }), 'all')).toBe(true);
	});

	test('vacant shows empty flats, whatever their visit status', () => {
		expect(visits.matchesFilter(door('d', 'done', { occupancy: 'empty' }), 'vacant')).toBe(true);
		expect(visits.matchesFilter(door('d', 'not_visited', { occupancy: 'empty' }), 'vacant')).toBe(true);
		for (const occupancy of ['lived_in', 'rented_out', 'shop', 'other', undefined])
			expect(visits.matchesFilter(door('d', 'not_visited', { occupancy }), 'vacant'), String(occupancy)).toBe(false);
	});

	test('flagged shows doors with at least one flag', () => {
		expect(visits.matchesFilter(door('d', 'done', { flags: ['elderly_alone'] }), 'flagged')).toBe(true);
		expect(visits.matchesFilter(door('d', 'done', { flags: ['bedridden', 'infant'] }), 'flagged')).toBe(true);
		expect(visits.matchesFilter(door('d', 'done'), 'flagged')).toBe(false);
	});

	test('vacant, flagged and not_visited each look at one property of the door only', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...visits.doorStatuses),
				fc.option(fc.constantFrom('lived_in', 'empty', 'rented_out'), { nil: undefined }),
				fc.array(fc.constantFrom('elderly_alone', 'infant'), { maxLength: 2 }),
				(status, occupancy, flags) => {
					const d = door('d', status, { occupancy, flags });
					expect(visits.matchesFilter(d, 'vacant')).toBe(occupancy === 'empty');
					expect(visits.matchesFilter(d, 'flagged')).toBe(flags.length > 0);
					expect(visits.matchesFilter(d, 'not_visited')).toBe(status === 'not_visited');
				}
			)
		);
	});
});

describe('nextUnvisited', () => {
	/** Doors d1, d2… in walking order: o not visited, n nobody home, x done. */
	const walk = (spec: string) =>
		spec.split(' ').map((s, i) => door(`d${i + 1}`, s === 'o' ? 'not_visited' : s === 'n' ? 'nobody_home' : 'done'));

	test('with no current door, the first unvisited door in walking order', () => {
		expect(visits.nextUnvisited(walk('x x o o'))?.id).toBe('d3');
	});

	test('the next unvisited door after the current one, skipping visited doors', () => {
		expect(visits.nextUnvisited(walk('o x n o o'), 'd1')?.id).toBe('d4');
		expect(visits.nextUnvisited(walk('o x n o o'), 'd4')?.id).toBe('d5');
	});

	test('wraps around to the start of the walk', () => {
		expect(visits.nextUnvisited(walk('o o x x'), 'd3')?.id).toBe('d1');
		expect(visits.nextUnvisited(walk('x o x o'), 'd4')?.id).toBe('d2');
	});

	test('never returns the current door, even when it is the only unvisited one', () => {
		expect(visits.nextUnvisited(walk('x o x'), 'd2')).toBeUndefined();
		expect(visits.nextUnvisited(walk('o'), 'd1')).toBeUndefined();
	});

	test('undefined when every door has been visited, or there are no doors', () => {
		expect(visits.nextUnvisited(walk('x n x'))).toBeUndefined();
		expect(visits.nextUnvisited(walk('x n x'), 'd2')).toBeUndefined();
		expect(visits.nextUnvisited([])).toBeUndefined();
		expect(visits.nextUnvisited([], 'd1')).toBeUndefined();
	});

	test('a current door not in the list starts the walk from the beginning', () => {
		expect(visits.nextUnvisited(walk('x o o'), 'elsewhere')?.id).toBe('d2');
	});

	test('is the first unvisited door other than the current one, counting from just after it', () => {
		fc.assert(
			fc.property(
				fc.array(fc.constantFrom<DoorStatus>(...visits.doorStatuses), { maxLength: 12 }),
				fc.option(fc.nat(13), { nil: undefined }),
				(statuses, at) => {
					const doors = statuses.map((status, i) => door(`d${i}`, status));
					const current = at === undefined ? undefined : `d${at}`;
					const index = doors.findIndex((d) => d.id === current);
					const order = index < 0 ? doors : [...doors.slice(index + 1), ...doors.slice(0, index)];
					const expected = order.find((d) => d.status === 'not_visited');
					expect(visits.nextUnvisited(doors, current)).toBe(expected);
				}
			)
		);
	});
});
