/**
 * Hybrid logical clock (HLC).
 *
 * Every event carries a timestamp that is (a) close to wall time, so people can read it, and
 * (b) strictly increasing on one device and never behind anything the device has already seen,
 * even when the phone's clock jumps back. Encoded timestamps compare correctly as plain strings,
 * so the reducer and Dexie indexes can sort them without parsing.
 */
import { z } from 'zod';

export interface Clock {
	/** Milliseconds since the epoch, never behind any timestamp this clock has produced or seen. */
	readonly wall: number;
	/** Orders events that share one `wall` value. */
	readonly counter: number;
	/** The device id: breaks the last tie so no two devices produce equal timestamps. */
	readonly node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const COUNTER_RADIX = 36;
const MAX_WALL = 10 ** WALL_DIGITS - 1;
const MAX_COUNTER = COUNTER_RADIX ** COUNTER_DIGITS - 1;

/** An encoded timestamp: `001732350000000-000000-device`. */
export const hlcSchema = z.string().regex(/^\d{15}-[0-9a-z]{6}-[A-Za-z0-9_-]{1,64}$/);

export function create(node: string, wall = 0): Clock {
	return { wall, counter: 0, node };
}

/** The next timestamp for a local event at wall time `now`. */
export function tick(clock: Clock, now: number): Clock {
	const wall = Math.max(clock.wall, physical(now));
	const counter = wall === clock.wall ? clock.counter + 1 : 0;
	return carry(wall, counter, clock.node);
}

/** Moves the clock past a timestamp received from another device. */
export function receive(clock: Clock, remote: string, now: number): Clock {
	const other = decode(remote);
	const wall = Math.max(clock.wall, other.wall, physical(now));
	let counter = 0;
	if (wall === clock.wall && wall === other.wall) counter = Math.max(clock.counter, other.counter) + 1;
	else if (wall === clock.wall) counter = clock.counter + 1;
	else if (wall === other.wall) counter = other.counter + 1;
	return carry(wall, counter, clock.node);
}

/** A device clock reading as wall time; one that is broken (NaN, infinite, negative, too large to encode) is ignored. */
function physical(now: number): number {
	return Number.isFinite(now) && now >= 0 && now <= MAX_WALL ? Math.floor(now) : 0;
}

/** A full counter carries into the wall, so every stamp fits its fixed width and still sorts as a string. */
function carry(wall: number, counter: number, node: string): Clock {
	return counter > MAX_COUNTER ? { wall: wall + 1, counter: 0, node } : { wall, counter, node };
}

export function encode(clock: Clock): string {
	return `${String(clock.wall).padStart(WALL_DIGITS, '0')}-${clock.counter
		.toString(COUNTER_RADIX)
		.padStart(COUNTER_DIGITS, '0')}-${clock.node}`;
}

export function decode(stamp: string): Clock {
	const [wall, counter, ...node] = stamp.split('-');
	return { wall: Number(wall), counter: parseInt(counter, COUNTER_RADIX), node: node.join('-') };
}

/** Wall time of an encoded timestamp, for display. */
export function wallTime(stamp: string): number {
	return Number(stamp.slice(0, WALL_DIGITS));
}
