import { describe, expect, test } from 'vitest';
import * as events from '$lib/domain/events';
import * as visits from '$lib/domain/visits';
import * as hlc from '$lib/domain/hlc';
import type { FieldState, VisitEvent } from '$lib/domain/events';
import { DOOR, visit } from '../fixtures/events';

const T = 1_700_000_000_000;
const stateOf = (list: VisitEvent[]) => events.reduce(list).get(events.fieldKey(DOOR, 'visit')) as FieldState<VisitEvent>;

describe('doorState', () => {
	test('a door with no visit events is not visited', () => {
		expect(visits.doorState(undefined)).toEqual({ status: 'not_visited', conflict: false, conflicting: [], visits: 0 });
	});

	test('shows the current outcome, the number of visits and the last one', () => {
		const first = visit({ id: 'a', outcome: 'nobody_home', wall: T });
		const second = visit({ id: 'b', outcome: 'done', wall: T + 86_400_000, supersedes: ['a'], note: '三口人，已登记' });
		expect(visits.doorState(stateOf([second, first]))).toEqual({
			status: 'done',
			conflict: false,
			conflicting: [],
			visits: 2,
			lastVisit: second
		});
	});

	test('lists both sides of a conflict, winner first, with who recorded them', () => {
		const a = visit({ id: 'a', outcome: 'nobody_home', wall: T + 9, user: 'li', device: 'phone-b' });
		const b = visit({ id: 'b', outcome: 'done', wall: T, user: 'wang', device: 'phone-a' });
		const state = visits.doorState(stateOf([a, b]));
		expect(state.status).toBe('done');
		expect(state.conflict).toBe(true);
		expect(state.conflicting).toEqual([
			{ outcome: 'done', user: 'wang', hlc: b.hlc },
			{ outcome: 'nobody_home', user: 'li', hlc: a.hlc }
		]);
		expect(state.lastVisit).toBe(a);
	});

	test('the last visit is the one recorded last, even from a phone whose clock is a day behind', () => {
		const first = visit({ id: 'a', outcome: 'nobody_home', wall: T, device: 'phone-a' });
		const { event: second } = events.createEvent<VisitEvent>(
			{ kind: 'visit', entity: DOOR, value: { outcome: 'done', note: '' }, user: 'li', seen: stateOf([first]) },
			hlc.create('phone-b'),
			T - 86_400_000,
			'b'
		);
		expect(visits.doorState(stateOf([first, second]))).toMatchObject({ status: 'done', visits: 2, lastVisit: second });
	});

	test('agreeing concurrent visits are not a conflict', () => {
		const a = visit({ id: 'a', outcome: 'refused', wall: T, device: 'phone-a' });
		const b = visit({ id: 'b', outcome: 'refused', wall: T + 1, device: 'phone-b' });
		expect(visits.doorState(stateOf([a, b]))).toMatchObject({ status: 'refused', conflict: false, conflicting: [], visits: 2 });
	});
});

describe('countStatuses', () => {
	test('counts doors per status and conflicts separately', () => {
		const done = visits.doorState(stateOf([visit({ id: 'a', outcome: 'done' })]));
		const phone = visits.doorState(stateOf([visit({ id: 'b', outcome: 'by_phone' })]));
		const conflicted = visits.doorState(
			stateOf([visit({ id: 'c', outcome: 'done', device: 'phone-a' }), visit({ id: 'd', outcome: 'refused', device: 'phone-b' })])
		);
		expect(visits.countStatuses([done, phone, conflicted, visits.notVisited, visits.doorState(undefined)])).toEqual({
			not_visited: 2,
			done: 2,
			by_phone: 1,
			nobody_home: 0,
			refused: 0,
			conflict: 1
		});
	});

	test('an empty list counts zero everywhere', () => {
		expect(visits.countStatuses([])).toEqual({ not_visited: 0, done: 0, by_phone: 0, nobody_home: 0, refused: 0, conflict: 0 });
	});
});
