import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../server/login-throttle';

function throttleAt(start = 0) {
	let now = start;
	const throttle = createLoginThrottle({
		perUsername: { free: 2, max: 5 },
		perAddress: { free: 10, max: 20 },
		baseDelayMs: 100,
		maxDelayMs: 300,
		windowMs: 60_000,
		now: () => now
	});
	return { throttle, advance: (ms: number) => (now += ms) };
}

describe('login throttle', () => {
	it('lets the first failures through without delay, then doubles the delay up to a cap', () => {
		const { throttle } = throttleAt();
		const delays: number[] = [];
		for (let i = 0; i < 5; i++) {
			const decision = throttle.check('li', '10.0.0.1');
			expect(decision.refused).toBe(false);
			delays.push(decision.refused ? -1 : decision.delayMs);
			throttle.failed('li', '10.0.0.1');
		}
		expect(delays).toEqual([0, 0, 100, 200, 300]);
	});

	it('refuses past the limit until the window has passed since the last failure', () => {
		const { throttle, advance } = throttleAt();
		for (let i = 0; i < 5; i++) throttle.failed('li', '10.0.0.1');
		const refused = throttle.check('li', '10.0.0.1');
		expect(refused).toEqual({ refused: true, retryAfterMs: 60_000 });
		advance(60_001);
		expect(throttle.check('li', '10.0.0.1')).toEqual({ refused: false, delayMs: 0 });
	});

	it('counts usernames apart, and an address across usernames', () => {
		const { throttle } = throttleAt();
		for (let i = 0; i < 5; i++) throttle.failed('li', '10.0.0.1');
		expect(throttle.check('zhang', '10.0.0.2').refused).toBe(false);
		for (let i = 0; i < 20; i++) throttle.failed(`user${i}`, '10.0.0.3');
		expect(throttle.check('wang', '10.0.0.3').refused).toBe(true);
	});

	it('clears a username after a right password', () => {
		const { throttle } = throttleAt();
		for (let i = 0; i < 4; i++) throttle.failed('li', '10.0.0.1');
		throttle.succeeded('li');
		expect(throttle.check('li', '10.0.0.9')).toEqual({ refused: false, delayMs: 0 });
	});
});
