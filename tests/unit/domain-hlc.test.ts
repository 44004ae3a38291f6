import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as hlc from '$lib/domain/hlc';

const T = 1_700_000_000_000;
const MAX_COUNTER = 36 ** 6 - 1;
/** 9999-12-31: the latest wall time a sane device sends (the format goes to 10^15 - 1). */
const MAX_SANE_WALL = 253_402_300_799_999;

const stamp = (wall: number, counter: number, node: string) => hlc.encode({ wall, counter, node });

/** Strict order of clocks by (wall, counter, node), written from the contract. */
function compareTuples(a: hlc.Clock, b: hlc.Clock): number {
	if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
	if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
	return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const nodeArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const clockArb = fc.record({
	wall: fc.integer({ min: 0, max: MAX_SANE_WALL }),
	counter: fc.integer({ min: 0, max: MAX_COUNTER }),
	node: nodeArb
});

describe('tick', () => {
	test('follows the wall clock when it moves forward', () => {
		const a = hlc.tick(hlc.create('phone-a'), T);
		const b = hlc.tick(a, T + 5);
		expect(hlc.encode(a)).toBe(stamp(T, 0, 'phone-a'));
		expect(hlc.encode(b)).toBe(stamp(T + 5, 0, 'phone-a'));
	});

	test('stays monotonic when the device clock jumps backwards', () => {
		const a = hlc.tick(hlc.create('phone-a'), T);
		const b = hlc.tick(a, T - 3_600_000);
		const c = hlc.tick(b, T - 7_200_000);
		expect([a, b, c].map((x) => [x.wall, x.counter])).toEqual([
			[T, 0],
			[T, 1],
			[T, 2]
		]);
		expect(hlc.encode(a) < hlc.encode(b) && hlc.encode(b) < hlc.encode(c)).toBe(true);
	});

	test('counts up when several events share one millisecond', () => {
		let clock = hlc.create('phone-a');
		const stamps = [];
		for (let i = 0; i < 40; i++) stamps.push(hlc.encode((clock = hlc.tick(clock, T))));
		expect(stamps.at(-1)).toBe(stamp(T, 39, 'phone-a'));
		expect([...stamps].sort()).toEqual(stamps);
	});

	test('carries a full counter into the wall instead of widening the stamp', () => {
		const full: hlc.Clock = { wall: T, counter: MAX_COUNTER, node: 'phone-a' };
		const next = hlc.tick(full, T);
		expect(hlc.hlcSchema.safeParse(hlc.encode(next)).success).toBe(true);
		expect(hlc.encode(next) > hlc.encode(full)).toBe(true);
	});

	test('ignores a broken device clock reading', () => {
		const a = hlc.tick(hlc.create('phone-a'), T);
		for (const broken of [NaN, Infinity, -Infinity, -1, 1e16]) {
			const b = hlc.tick(a, broken);
			expect(hlc.hlcSchema.safeParse(hlc.encode(b)).success).toBe(true);
			expect(hlc.encode(b) > hlc.encode(a)).toBe(true);
		}
	});
});

describe('receive', () => {
	test('moves past a remote stamp that is ahead of the local clock', () => {
		const local = hlc.tick(hlc.create('phone-a'), T);
		const remote = stamp(T + 60_000, 7, 'phone-b');
		const after = hlc.receive(local, remote, T + 1);
		expect(after).toEqual({ wall: T + 60_000, counter: 8, node: 'phone-a' });
		expect(hlc.encode(after) > remote).toBe(true);
		// and the next local event is still after what was received
		expect(hlc.encode(hlc.tick(after, T + 2)) > remote).toBe(true);
	});

	test('moves past both when local and remote share a wall time', () => {
		const local: hlc.Clock = { wall: T, counter: 3, node: 'phone-a' };
		expect(hlc.receive(local, stamp(T, 9, 'phone-b'), T)).toEqual({ wall: T, counter: 10, node: 'phone-a' });
		expect(hlc.receive(local, stamp(T, 1, 'phone-b'), T)).toEqual({ wall: T, counter: 4, node: 'phone-a' });
	});

	test('follows the wall clock when it is ahead of both', () => {
		const local: hlc.Clock = { wall: T, counter: 3, node: 'phone-a' };
		expect(hlc.receive(local, stamp(T - 10, 9, 'phone-b'), T + 100)).toEqual({ wall: T + 100, counter: 0, node: 'phone-a' });
	});

	test('keeps the local node and stays a valid stamp when the remote counter is full', () => {
		const local = hlc.tick(hlc.create('phone-a'), T);
		const remote = stamp(T, MAX_COUNTER, 'phone-b');
		const after = hlc.encode(hlc.receive(local, remote, T));
		expect(hlc.hlcSchema.safeParse(after).success).toBe(true);
		expect(after > remote).toBe(true);
		expect(hlc.decode(after).node).toBe('phone-a');
	});
});

describe('encoding', () => {
	test('has the documented fixed-width shape', () => {
		expect(stamp(T, 35, 'phone-a')).toBe('001700000000000-00000z-phone-a');
		expect(hlc.wallTime('001700000000000-00000z-phone-a')).toBe(T);
	});

	test('round-trips, including a node with dashes', () => {
		fc.assert(
			fc.property(clockArb, (clock) => {
				expect(hlc.decode(hlc.encode(clock))).toEqual(clock);
				expect(hlc.hlcSchema.safeParse(hlc.encode(clock)).success).toBe(true);
			})
		);
		expect(hlc.decode(stamp(T, 1, 'a-b-c')).node).toBe('a-b-c');
	});

	test('encoded strings sort like (wall, counter, node)', () => {
		fc.assert(
			fc.property(clockArb, clockArb, (a, b) => {
				expect(compareStrings(hlc.encode(a), hlc.encode(b))).toBe(compareTuples(a, b));
			}),
			{ numRuns: 1000 }
		);
		// the cases where digit-by-digit and numeric order would differ without padding
		expect(stamp(9, 0, 'a') < stamp(10, 0, 'a')).toBe(true);
		expect(stamp(T, 9, 'a') < stamp(T, 10, 'a')).toBe(true);
		expect(stamp(T, 35, 'z') < stamp(T, 36, 'a')).toBe(true);
	});
});

describe('one device over time', () => {
	/** Any reading a phone's clock might give, including absurd ones. */
	const nowArb = fc.oneof(
		{ weight: 4, arbitrary: fc.integer({ min: T - 10, max: T + 10 }) },
		{ weight: 2, arbitrary: fc.integer({ min: -1e13, max: MAX_SANE_WALL }) },
		{ weight: 1, arbitrary: fc.double() }
	);
	const remoteArb = fc.oneof(
		clockArb,
		fc.record({ wall: fc.integer({ min: T - 10, max: T + 10 }), counter: fc.integer({ min: 0, max: MAX_COUNTER }), node: nodeArb })
	);
	const opArb = fc.oneof(
		fc.record({ op: fc.constant('tick' as const), now: nowArb }),
		fc.record({ op: fc.constant('receive' as const), now: nowArb, remote: remoteArb })
	);

	test('any sequence of tick and receive gives strictly increasing valid stamps, each past what was received', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: T }), fc.array(opArb, { maxLength: 60 }), (start, ops) => {
				let clock = hlc.create('phone-a', start);
				let previous = hlc.encode(clock);
				for (const step of ops) {
					const remote = step.op === 'receive' ? hlc.encode(step.remote) : undefined;
					clock = remote ? hlc.receive(clock, remote, step.now) : hlc.tick(clock, step.now);
					const current = hlc.encode(clock);
					expect(hlc.hlcSchema.safeParse(current).success, current).toBe(true);
					expect(current > previous, `${current} after ${previous}`).toBe(true);
					if (remote) expect(current > remote, `${current} after received ${remote}`).toBe(true);
					previous = current;
				}
			}),
			{ numRuns: 500 }
		);
	});
});
