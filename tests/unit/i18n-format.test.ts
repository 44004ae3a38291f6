import { describe, expect, it } from 'vitest';
import { fileSize, fullTime, shortTime } from '../../src/lib/i18n/format';

describe('how times and sizes read', () => {
	const at = (text: string) => new Date(text).getTime();

	it('shows a time of today as hours and minutes, on 24 hours', () => {
		expect(shortTime(at('2026-12-02T09:05:00'), at('2026-12-02T23:59:00'))).toBe('09:05');
		expect(shortTime(at('2026-12-02T21:41:30'), at('2026-12-02T22:00:00'))).toBe('21:41');
	});

	it('adds month and day to a time of another day', () => {
		expect(shortTime(at('2026-11-22T09:41:00'), at('2026-12-02T08:00:00'))).toBe('11-22 09:41');
	});

	it('writes the whole date in the audit trail', () => {
		expect(fullTime(at('2026-01-03T07:08:00'))).toBe('2026-01-03 07:08');
	});

	it('gives sizes in KB, MB and GB', () => {
		expect(fileSize(10)).toBe('1 KB');
		expect(fileSize(3.2 * 1024 * 1024)).toBe('3.2 MB');
		expect(fileSize(2 * 1024 ** 3)).toBe('2.0 GB');
	});
});
