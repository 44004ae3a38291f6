import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as events from '$lib/domain/events';
import * as hlc from '$lib/domain/hlc';
import type { FieldState, VisitEvent, VisitOutcome } from '$lib/domain/events';
import { bruteConflict, bruteHeads, DOOR, expectedVisitRank, visit } from '../fixtures/events';

const T = 1_700_000_000_000;
const key = (entity = DOOR) => events.fieldKey(entity, 'visit');
const ids = (list: readonly { id: string }[]) => list.map((e) => e.id);
const stateOf = (list: VisitEvent[], entity = DOOR) => events.reduce(list).get(key(entity)) as FieldState<VisitEvent>;

describe('reduce, by example', () => {
	test('a single visit is the current state', () => {
		const a = visit({ id: 'a', outcome: 'nobody_home' });
		expect(stateOf([a])).toEqual({ current: a, heads: [a], conflict: false, history: [a] });
	});

	test('a visit that supersedes another replaces it, with no conflict', () => {
		const a = visit({ id: 'a', outcome: 'nobody_home', wall: T });
		const b = visit({ id: 'b', outcome: 'refused', wall: T + 60_000, device: 'phone-b', supersedes: ['a'] });
		expect(stateOf([b, a])).toEqual({ current: b, heads: [b], conflict: false, history: [a, b] });
	});

	test('a later visit replaces one it saw even when that one ranks higher', () => {
		const a = visit({ id: 'a', outcome: 'done', wall: T });
		const b = visit({ id: 'b', outcome: 'nobody_home', wall: T + 1, supersedes: ['a'] });
		expect(stateOf([a, b]).current.id).toBe('b');
		expect(stateOf([a, b]).conflict).toBe(false);
	});

	test('two concurrent visits with different outcomes conflict; "done" wins over "nobody_home" whatever the clocks', () => {
		const done = visit({ id: 'a', outcome: 'done', wall: T, device: 'phone-a', user: 'wang' });
		const nobody = visit({ id: 'b', outcome: 'nobody_home', wall: T + 3_600_000, device: 'phone-b', user: 'li' });
		for (const order of [
			[done, nobody],
			[nobody, done]
		]) {
			const state = stateOf(order);
			expect(state.conflict).toBe(true);
			expect(state.current).toBe(done);
			expect(ids(state.heads)).toEqual(['a', 'b']);
			expect(ids(state.history)).toEqual(['a', 'b']);
		}
	});

	test.each([
		['done', 'by_phone'],
		['by_phone', 'refused'],
		['refused', 'nobody_home'],
		['done', 'nobody_home']
	] as [VisitOutcome, VisitOutcome][])('among concurrent heads %s outranks %s', (high, low) => {
		const h = visit({ id: 'h', outcome: high, wall: T, device: 'phone-a' });
		const l = visit({ id: 'l', outcome: low, wall: T + 1, device: 'phone-b' });
		expect(stateOf([l, h]).current.id).toBe('h');
	});

	test('concurrent visits with the same outcome do not conflict; the later clock is shown', () => {
		const a = visit({ id: 'a', outcome: 'by_phone', wall: T, device: 'phone-a' });
		const b = visit({ id: 'b', outcome: 'by_phone', wall: T + 5, device: 'phone-b' });
		const state = stateOf([a, b]);
		expect(state.conflict).toBe(false);
		expect(ids(state.heads)).toEqual(['b', 'a']);
		expect(state.current).toBe(b);
	});

	test('a later visit that supersedes both heads resolves the conflict', () => {
		const a = visit({ id: 'a', outcome: 'done', wall: T, device: 'phone-a' });
		const b = visit({ id: 'b', outcome: 'nobody_home', wall: T + 1, device: 'phone-b' });
		const c = visit({ id: 'c', outcome: 'refused', wall: T + 2, device: 'laptop', user: 'secretary', supersedes: ['a', 'b'] });
		const state = stateOf([c, b, a]);
		expect(state).toEqual({ current: c, heads: [c], conflict: false, history: [a, b, c] });
	});

	test('superseding only one side of a conflict leaves the conflict', () => {
		const a = visit({ id: 'a', outcome: 'done', wall: T, device: 'phone-a' });
		const b = visit({ id: 'b', outcome: 'nobody_home', wall: T + 1, device: 'phone-b' });
		const c = visit({ id: 'c', outcome: 'nobody_home', wall: T + 2, device: 'phone-b', supersedes: ['b'] });
		const state = stateOf([a, b, c]);
		expect(state.conflict).toBe(true);
		expect(ids(state.heads)).toEqual(['a', 'c']);
	});

	test('history keeps every visit, oldest first, whatever the arrival order', () => {
		const chain = ['nobody_home', 'nobody_home', 'refused', 'by_phone', 'done'].map((outcome, i) =>
			visit({ id: `v${i}`, outcome: outcome as VisitOutcome, wall: T + i * 86_400_000, supersedes: i ? [`v${i - 1}`] : [] })
		);
		const state = stateOf([chain[3], chain[0], chain[4], chain[2], chain[1]]);
		expect(ids(state.history)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
		expect(state.current.id).toBe('v4');
	});

	test('keeps doors apart and stores a duplicated event once', () => {
		const a = visit({ id: 'a', entity: 'b1-1-101', outcome: 'done' });
		const b = visit({ id: 'b', entity: 'b1-1-102', outcome: 'refused' });
		const states = events.reduce([a, b, structuredClone(a)]);
		expect([...states.keys()].sort()).toEqual([key('b1-1-101'), key('b1-1-102')]);
		expect(states.get(key('b1-1-101'))?.history).toEqual([a]);
		expect(states.get(key('b1-1-102'))?.current).toEqual(b);
	});

	test('a superseded id that never arrived changes nothing', () => {
		const a = visit({ id: 'a', outcome: 'done', supersedes: ['not-here-yet'] });
		expect(stateOf([a])).toEqual({ current: a, heads: [a], conflict: false, history: [a] });
	});

	test('the same visit arriving twice counts once', () => {
		const a = visit({ id: 'a' });
		expect(stateOf([a, a, structuredClone(a)]).history).toHaveLength(1);
	});

	test('a forged cycle of supersedes still yields a state that keeps both events', () => {
		const a = visit({ id: 'a', outcome: 'done', wall: T, supersedes: ['b'] });
		const b = visit({ id: 'b', outcome: 'refused', wall: T + 1, device: 'phone-b', supersedes: ['a'] });
		const state = stateOf([a, b]);
		expect(ids(state.history)).toEqual(['a', 'b']);
		expect(['a', 'b']).toContain(state.current.id);
		expect(stateOf([b, a])).toEqual(state);
	});
});

describe('createEvent', () => {
	test('makes a valid event on this device that supersedes the heads it saw', () => {
		const a = visit({ id: 'a', outcome: 'done', wall: T, device: 'phone-a' });
		const b = visit({ id: 'b', outcome: 'refused', wall: T + 1, device: 'phone-b' });
		const clock = hlc.create('phone-c', T - 5);
		const { event, clock: next } = events.createEvent<VisitEvent>(
			{ kind: 'visit', entity: DOOR, value: { outcome: 'nobody_home', note: '' }, user: 'zhao', seen: stateOf([a, b]) },
			clock,
			T + 10,
			'c'
		);
		expect(event).toEqual({
			v: 1,
			id: 'c',
			kind: 'visit',
			entity: DOOR,
			user: 'zhao',
			device: 'phone-c',
			hlc: hlc.encode(next),
			supersedes: ['a', 'b'],
			value: { outcome: 'nobody_home', note: '' }
		});
		expect(stateOf([a, b, event])).toMatchObject({ current: event, conflict: false });
	});

	test('a first visit supersedes nothing and ticks the clock', () => {
		const clock = hlc.create('phone-a', T);
		const { event, clock: next } = events.createEvent<VisitEvent>(
			{ kind: 'visit', entity: DOOR, value: { outcome: 'done', note: '' }, user: 'wang' },
			clock,
			T,
			'a'
		);
		expect(event.supersedes).toEqual([]);
		expect(next).toEqual({ wall: T, counter: 1, node: 'phone-a' });
	});

	test('stamps the new event after the visit it replaces even when this phone is an hour behind', () => {
		const seen = visit({ id: 'a', wall: T + 3_600_000, device: 'phone-b' });
		const { event } = events.createEvent<VisitEvent>(
			{ kind: 'visit', entity: DOOR, value: { outcome: 'refused', note: '' }, user: 'wang', seen: stateOf([seen]) },
			hlc.create('phone-a'),
			T,
			'b'
		);
		expect(event.hlc > seen.hlc).toBe(true);
		expect(ids(stateOf([event, seen]).history)).toEqual(['a', 'b']);
	});

	test('refuses a value that does not fit the schema', () => {
		const make = (value: unknown) => () =>
			events.createEvent({ kind: 'visit', entity: DOOR, value: value as any, user: 'wang' }, hlc.create('phone-a'), T, 'x');
		expect(make({ outcome: 'done', note: 'x'.repeat(501) })).toThrow();
		expect(make({ outcome: 'gone' })).toThrow();
	});
});

/*
 * Realistic causal histories: several phones record visits to a few doors. Each phone only knows
 * the events it made or received; a sync hands over a prefix of the sender's log (what got through
 * before the signal dropped), so every phone's knowledge stays causally closed. A phone records a
 * visit the way the app does: reduce its own events, then createEvent with that state as `seen`.
 * Phone clocks are skewed and jump about, and sync does not touch clocks.
 */
interface Device {
	clock: hlc.Clock;
	log: VisitEvent[];
}

type Step =
	| { op: 'visit'; device: number; door: number; outcome: VisitOutcome; now: number }
	| { op: 'sync'; from: number; to: number; share: number };

interface History {
	devices: Device[];
	/** Every event made, in the order made. */
	all: VisitEvent[];
}

const DOORS = ['b1-1-101', 'b1-1-102'];

function simulate(deviceCount: number, steps: Step[]): History {
	const devices: Device[] = Array.from({ length: deviceCount }, (_, i) => ({ clock: hlc.create(`phone-${i}`), log: [] }));
	const all: VisitEvent[] = [];
	for (const step of steps) {
		if (step.op === 'visit') {
			const device = devices[step.device % deviceCount];
			const entity = DOORS[step.door];
			const seen = events.reduce(device.log).get(events.fieldKey(entity, 'visit'));
			const made = events.createEvent<VisitEvent>(
				{ kind: 'visit', entity, value: { outcome: step.outcome, note: '' }, user: 'u', seen },
				device.clock,
				step.now,
				`e${all.length}`
			);
			device.clock = made.clock;
			device.log.push(made.event);
			all.push(made.event);
		} else {
			const from = devices[step.from % deviceCount];
			const to = devices[step.to % deviceCount];
			const known = new Set(ids(to.log));
			for (const event of from.log.slice(0, Math.ceil(step.share * from.log.length))) {
				if (!known.has(event.id)) to.log.push(event);
			}
		}
	}
	return { devices, all };
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	fc.record({
		op: fc.constant('visit' as const),
		device: fc.nat(3),
		door: fc.nat(DOORS.length - 1),
		outcome: fc.constantFrom(...events.visitOutcomes),
		// skewed clocks that jump back and forth, so walls collide and go backwards
		now: fc.integer({ min: T - 50, max: T + 50 })
	}),
	fc.record({ op: fc.constant('sync' as const), from: fc.nat(3), to: fc.nat(3), share: fc.double({ min: 0, max: 1, noNaN: true }) })
);

const historyArb = fc
	.tuple(fc.integer({ min: 2, max: 4 }), fc.array(stepArb, { maxLength: 40 }))
	.map(([deviceCount, steps]) => simulate(deviceCount, steps));

/** Every event set worth checking in one history: the union and each phone's own view. */
const views = (h: History) => [h.all, ...h.devices.map((d) => d.log)];

/** A reduce result as plain sorted data, to compare deeply. */
const snapshot = (states: Map<string, FieldState>) => [...states.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

function groupByKey(list: VisitEvent[]): Map<string, VisitEvent[]> {
	const groups = new Map<string, VisitEvent[]>();
	for (const e of list) groups.set(key(e.entity), [...(groups.get(key(e.entity)) ?? []), e]);
	return groups;
}

describe('reduce over random causal histories', () => {
	test('any order and any duplication of the same events gives the same state', () => {
		const arb = historyArb.chain((h) =>
			fc.record({
				h: fc.constant(h),
				shuffled: fc.shuffledSubarray(h.all, { minLength: h.all.length, maxLength: h.all.length }),
				copies: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 15 })
			})
		);
		fc.assert(
			fc.property(arb, ({ h, shuffled, copies }) => {
				const expected = snapshot(events.reduce(h.all));
				expect(snapshot(events.reduce(shuffled))).toEqual(expected);
				const duplicated = [...shuffled];
				for (const [which, where] of copies) {
					if (h.all.length === 0) break;
					duplicated.splice(where % (duplicated.length + 1), 0, structuredClone(h.all[which % h.all.length]));
				}
				expect(snapshot(events.reduce(duplicated))).toEqual(expected);
			}),
			{ numRuns: 300 }
		);
	});

	test('no event is ever lost from history, and history lists an event after every event it supersedes', () => {
		fc.assert(
			fc.property(historyArb, (h) => {
				for (const view of views(h)) {
					const states = events.reduce(view);
					for (const [k, group] of groupByKey(view)) {
						const history = states.get(k)!.history;
						expect(ids(history).sort()).toEqual(ids(group).sort());
						const position = new Map(history.map((e, i) => [e.id, i]));
						for (const e of history) {
							for (const s of e.supersedes) {
								if (position.has(s)) expect(position.get(s)!, `${s} before ${e.id}`).toBeLessThan(position.get(e.id)!);
							}
						}
					}
					const total = [...states.values()].reduce((n, s) => n + s.history.length, 0);
					expect(total).toBe(view.length);
				}
			}),
			{ numRuns: 300 }
		);
	});

	test('heads are the unsuperseded events; a conflict is reported iff two heads disagree; the winner ranks highest, then is latest', () => {
		const seen = { conflicts: 0, agreeingHeads: 0 };
		fc.assert(
			fc.property(historyArb, (h) => {
				for (const view of views(h)) {
					const states = events.reduce(view);
					for (const [k, group] of groupByKey(view)) {
						const state = states.get(k) as FieldState<VisitEvent>;
						const heads = bruteHeads(group);
						expect(ids(state.heads).sort()).toEqual(ids(heads).sort());
						expect(state.conflict).toBe(bruteConflict(heads));
						// winner first, then by rank, then latest clock
						const expectedOrder = [...heads].sort(
							(a, b) => expectedVisitRank[b.value.outcome] - expectedVisitRank[a.value.outcome] || (a.hlc < b.hlc ? 1 : -1)
						);
						expect(ids(state.heads)).toEqual(ids(expectedOrder));
						expect(state.current).toBe(state.heads[0]);
						if (state.conflict) seen.conflicts++;
						else if (heads.length > 1) seen.agreeingHeads++;
					}
				}
			}),
			{ numRuns: 300 }
		);
		// the generator must actually produce the cases this test is about
		expect(seen.conflicts).toBeGreaterThan(20);
		expect(seen.agreeingHeads).toBeGreaterThan(5);
	});

	test('phones that end up holding the same events show the same state', () => {
		fc.assert(
			fc.property(historyArb, (h) => {
				// a full sync round: everyone sends everything to the first phone, then it sends it back;
				// each phone keeps its own arrival order
				const [first, ...others] = h.devices.map((d) => [...d.log]);
				for (const log of others) for (const e of log) if (!first.some((x) => x.id === e.id)) first.push(e);
				const after = [first, ...others.map((log) => [...log, ...first.filter((e) => !log.includes(e))])];
				const expected = snapshot(events.reduce(h.all));
				for (const log of after) {
					expect(new Set(ids(log))).toEqual(new Set(ids(h.all)));
					expect(snapshot(events.reduce(log))).toEqual(expected);
				}
			}),
			{ numRuns: 100 }
		);
	});
});
