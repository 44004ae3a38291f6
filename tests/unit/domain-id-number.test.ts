import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as idNumber from '$lib/domain/id-number';

/** A valid number for a birth date, with the check character computed by the MOD 11-2 rule written out here. */
function withCheck(first17: string): string {
	const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
	return first17 + '10X98765432'[sum % 11];
}

describe('isValid', () => {
	test.each(['11010519491231002X', '440524188001010014'])('the worked example %s is valid', (id) => {
		expect(idNumber.isValid(id)).toBe(true);
	});

	test('accepts a lower-case x and surrounding spaces', () => {
		expect(idNumber.isValid('11010519491231002x')).toBe(true);
		expect(idNumber.isValid(' 11010519491231002X ')).toBe(true);
	});

	test.each([
		['a wrong check character', '110105194912310021'],
		['a wrong digit in the body', '11010519491231012X'],
		['X where a digit belongs', '44052418800101001X'],
		['February 30', withCheck('11010519490230002')],
		['February 29 of a common year', withCheck('11010519490229002')],
		['month 13', withCheck('11010519491331002')],
		['month 00', withCheck('11010519490031002')],
		['day 00', withCheck('11010519491200002')],
		['day 32', withCheck('11010519490132002')],
		['17 characters', '11010519491231002'],
		['19 characters', '11010519491231002X0'],
		['the old 15-digit form', '110105491231002'],
		['letters in the body', '1101A519491231002X'],
		['a check letter other than X', '11010519491231002Y'],
		['an empty string', '']
	])('refuses %s', (_, id) => {
		expect(idNumber.isValid(id)).toBe(false);
	});

	test('accepts the spaces and lower-case x staff type, as the same number', () => {
		expect(idNumber.isValid('110105 19491231 002x')).toBe(true);
		expect(idNumber.normalize('110105 19491231 002x')).toBe('11010519491231002X');
	});

	test('says what is wrong', () => {
		expect(idNumber.problem('1101051949123100')).toBe('format');
		expect(idNumber.problem(withCheck('11010519490230002'))).toBe('birth_date');
		expect(idNumber.problem('110105194912310021')).toBe('checksum');
		expect(idNumber.problem('11010519491231002X')).toBeNull();
	});

	test('reads the birth date and sex written in the number', () => {
		expect(idNumber.birthDate('11010519491231002X')).toBe('1949-12-31');
		expect(idNumber.sex('11010519491231002X')).toBe('female');
		expect(idNumber.sex('440524188001010014')).toBe('male');
	});

	test('accepts February 29 of a leap year', () => {
		expect(idNumber.isValid(withCheck('11010520000229002'))).toBe(true);
	});

	test('checkChar agrees with the rule for any 17 digits', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
				expect(first17 + idNumber.checkChar(first17)).toBe(withCheck(first17));
			})
		);
	});

	test('changing any one character of a valid number makes it invalid', () => {
		const valid = '11010519491231002X';
		for (let i = 0; i < 18; i++) {
			for (const c of '0123456789X') {
				if (c === valid[i]) continue;
				const changed = valid.slice(0, i) + c + valid.slice(i + 1);
				expect(idNumber.isValid(changed), changed).toBe(false);
			}
		}
	});
});

describe('mask', () => {
	test('keeps the first 3 and last 4 characters and hides the birth date', () => {
		expect(idNumber.mask('11010519491231002X')).toBe('110***********002X');
		expect(idNumber.mask('440524188001010014')).not.toContain('18800101');
	});

	test('keeps the length, and hides the middle of any number', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 8, maxLength: 30 }), (id) => {
				const masked = idNumber.mask(id);
				expect(masked).toHaveLength(id.length);
				expect(masked.slice(3, -4)).toBe('*'.repeat(id.length - 7));
			})
		);
	});

	test('hides a short number entirely', () => {
		expect(idNumber.mask('1234567')).toBe('*******');
		expect(idNumber.mask('')).toBe('');
	});
});

describe('maskIn', () => {
	test('masks every ID number in a text, valid or not, with X or x at the end', () => {
		expect(idNumber.maskIn('用户 11010519491231002X 登录失败; 440524188001010014, 44052418800101001x')).toBe(
			'用户 110***********002X 登录失败; 440***********0014, 440***********001x'
		);
	});

	test('leaves numbers that are not ID numbers alone', () => {
		const text = 'phone 13800138000, order 1234567890123456789012, hlc 001764000000000-000001-d1, token abc110105194912310021';
		expect(idNumber.maskIn(text)).toBe(text);
	});
});
