import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { isLeapYear, isRealDate } from '$lib/domain/calendar';

/** What JavaScript's own calendar says: the day exists if a UTC date built from it reads back the same. */
function dateSays(year: number, month: number, day: number): boolean {
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

describe('isRealDate', () => {
	test.each([
		[2024, 2, 29, true],
		[2023, 2, 29, false],
		[2000, 2, 29, true],
		[1900, 2, 29, false],
		[2023, 4, 30, true],
		[2023, 4, 31, false],
		[2023, 12, 31, true],
		[2023, 13, 1, false],
		[2023, 0, 10, false],
		[2023, 1, 0, false]
	])('%i-%i-%i is %s', (year, month, day, real) => {
		expect(isRealDate(year, month, day)).toBe(real);
	});

	test('agrees with the Date calendar for any year, month and day', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1800, max: 2200 }), fc.integer({ min: -1, max: 14 }), fc.integer({ min: -1, max: 33 }), (year, month, day) => {
				expect(isRealDate(year, month, day)).toBe(dateSays(year, month, day));
			}),
			{ numRuns: 20_000 }
		);
	});

	test('a month or day that is not a whole number (an unreadable field) is no date', () => {
		expect(isRealDate(2023, Number.NaN, 1)).toBe(false);
		expect(isRealDate(2023, 1, 1.5)).toBe(false);
	});

	test('leap years: every fourth, but not centuries unless divisible by 400', () => {
		expect([1996, 2000, 2024].map(isLeapYear)).toEqual([true, true, true]);
		expect([1900, 2023, 2100].map(isLeapYear)).toEqual([false, false, false]);
	});
});
