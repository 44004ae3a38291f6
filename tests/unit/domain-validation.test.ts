import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as validation from '$lib/domain/validation';
import * as contact from '$lib/domain/contact';
import * as idNumber from '$lib/domain/id-number';
import { ID_FEMALE_1949, ID_MALE_1880, member, memberForm, validId } from '../fixtures/household';

/** A fixed "today" for every rule that looks at the date: midday UTC, the same date in any time zone east of UTC-12. */
const TODAY = new Date('2024-06-15T12:00:00Z');
const issuesOf = (init: Partial<validation.MemberForm>) => validation.memberIssues(memberForm(init), TODAY);

describe('memberIssues: a well-filled form', () => {
	test('the worked example with its birth date, sex and a mobile has no issues', () => {
		expect(issuesOf({})).toEqual({});
		expect(validation.hasIssues(issuesOf({}))).toBe(false);
	});

	test('a member with only the required fields has no issues', () => {
		expect(issuesOf({ phone: '', idNumber: '' })).toEqual({});
	});

	test.each([
		['a man born 1980-01-02', '19800102', 'male'],
		['a woman born on a leap day', '20000229', 'female'],
		['a man born on the last day of a year', '19991231', 'male']
	] as const)('a synthetic ID of %s agrees with its form', (_, birth, sex) => {
		const id = validId(birth, sex);
		const iso = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`;
		expect(issuesOf({ idNumber: id, birth: iso, sex })).toEqual({});
		expect(issuesOf({ idNumber: id, birth: birth.slice(0, 4), sex })).toEqual({});
	});

	test('every synthetic ID of a real date and its sex passes with the date written any accepted way', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2024-06-15T00:00:00Z'), noInvalidDate: true }),
				fc.constantFrom('male' as const, 'female' as const),
				(date, sex) => {
					const [y, m, d] = date.toISOString().slice(0, 10).split('-');
					const id = validId(`${y}${m}${d}`, sex);
					for (const birth of [`${y}`, `${y}-${m}-${d}`, `${y}/${Number(m)}/${Number(d)}`, `${y}${m}${d}`, `${y}年${Number(m)}月${Number(d)}日`])
						expect(issuesOf({ idNumber: id, birth, sex }), birth).toEqual({});
				}
			)
		);
	});
});

describe('memberIssues: required fields', () => {
	test('an empty form asks for name, relation, sex and birth, and nothing else', () => {
		expect(validation.memberIssues(validation.emptyMemberForm, TODAY)).toEqual({
			name: 'required',
			relation: 'required',
			sex: 'required',
			birth: 'required'
		});
	});

	test.each([
		['name', ''],
		['name', '   '],
		['birth', '  '],
		['relation', ''],
		['relation', 'cousin'],
		['sex', ''],
		['sex', 'unknown'],
		['residence', ''],
		['residence', 'visitor']
	] as const)('%s %j is required', (field, value) => {
		expect(issuesOf({ [field]: value })).toEqual({ [field]: 'required' });
	});

	test('a name of 40 characters is fine, 41 is too long (after trimming)', () => {
		expect(issuesOf({ name: '王'.repeat(40) })).toEqual({});
		expect(issuesOf({ name: `  ${'王'.repeat(40)}  ` })).toEqual({});
		expect(issuesOf({ name: '王'.repeat(41) })).toEqual({ name: 'too_long' });
	});
});

describe('memberIssues: ID number', () => {
	test.each([
		['a wrong check character', '110105194912310021', 'id_checksum'],
		['a wrong digit in the body', '11010519491231012X', 'id_checksum'],
		['February 30, with a correct check character', validId('19490230', 'female'), 'id_birth_date'],
		['month 13, with a correct check character', validId('19491331', 'female'), 'id_birth_date'],
		['a birth year before 1800', validId('17991231', 'female'), 'id_birth_date'],
		['17 characters', '11010519491231002', 'id_format'],
		['19 characters', '11010519491231002X1', 'id_format'],
		['letters in the body', '1101AB19491231002X', 'id_format'],
		['a check letter other than X', '11010519491231002Y', 'id_format']
	])('refuses %s', (_, id, issue) => {
		expect(issuesOf({ idNumber: id })).toEqual({ idNumber: issue });
	});

	test('accepts a lower-case x and the spaces staff type', () => {
		expect(issuesOf({ idNumber: '110105 19491231 002x' })).toEqual({});
	});

	test('an ID whose birth year differs from the birth typed beside it is a mismatch', () => {
		expect(issuesOf({ birth: '1950' })).toEqual({ idNumber: 'id_birth_mismatch' });
		expect(issuesOf({ birth: '1948-12-31' })).toEqual({ idNumber: 'id_birth_mismatch' });
	});

	test('an ID whose full birth date differs by one day from the birth typed is a mismatch; the year alone agrees', () => {
		expect(issuesOf({ birth: '1949-12-30' })).toEqual({ idNumber: 'id_birth_mismatch' });
		expect(issuesOf({ birth: '1949-11-31' })).toEqual({ birth: 'birth_format' });
		expect(issuesOf({ birth: '1949' })).toEqual({});
	});

	test('an ID whose sex differs from the sex chosen is a mismatch', () => {
		expect(issuesOf({ sex: 'male' })).toEqual({ idNumber: 'id_sex_mismatch' });
		const man = validId('19800102', 'male');
		expect(issuesOf({ idNumber: man, birth: '1980-01-02', sex: 'female' })).toEqual({ idNumber: 'id_sex_mismatch' });
		expect(issuesOf({ idNumber: man, birth: '1980-01-02', sex: 'male' })).toEqual({});
	});

	test('with both birth and sex wrong, the birth mismatch is the one shown', () => {
		expect(issuesOf({ birth: '1950', sex: 'male' })).toEqual({ idNumber: 'id_birth_mismatch' });
	});

	test('with no sex chosen, only the sex is asked for, not an ID mismatch', () => {
		expect(issuesOf({ sex: '' })).toEqual({ sex: 'required' });
	});

	test('with an unreadable birth, only the birth is flagged, not an ID mismatch', () => {
		expect(issuesOf({ birth: 'soon' })).toEqual({ birth: 'birth_format' });
		expect(issuesOf({ birth: '' })).toEqual({ birth: 'required' });
	});

	test('the 1880 worked example is a valid ID, but 1880 is before the earliest birth year a form accepts', () => {
		expect(idNumber.problem(ID_MALE_1880)).toBeNull();
		expect(issuesOf({ idNumber: ID_MALE_1880, sex: 'male', birth: '1880-01-01' })).toEqual({ birth: 'birth_format' });
	});
});

describe('phoneIssue and normalizePhone', () => {
	test.each([
		['13800138000', '13800138000'],
		['138 0013 8000', '13800138000'],
		['138-0013-8000', '13800138000'],
		['+86 138 0013 8000', '13800138000'],
		['+8613800138000', '13800138000'],
		['0086 138-0013-8000', '13800138000'],
		['008619912345678', '19912345678'],
		['  17012345678 ', '17012345678'],
		['010-12345678', '010-12345678'],
		['0755-1234567', '0755-1234567'],
		['0755 12345678', '075512345678']
	])('accepts %j as %j', (input, normalized) => {
		expect(validation.phoneIssue(input)).toBeUndefined();
		expect(contact.normalizePhone(input)).toBe(normalized);
	});

	test.each([
		['12 digits', '138001380001'],
		['10 digits', '1380013800'],
		['a mobile starting 12', '12800138000'],
		['a mobile starting 2', '23800138000'],
		['+86 before a 12-digit number', '+86 138001380001'],
		['a landline without its area code', '12345678'],
		['a landline whose area code does not start with 0', '110-12345678'],
		['letters', '138OO138OOO'],
		['a mobile with a country code other than 86', '+85213800138000']
	])('refuses %s', (_, input) => {
		expect(validation.phoneIssue(input)).toBe('phone_format');
		expect(contact.normalizePhone(input)).toBeNull();
	});

	test('a landline is not a mobile', () => {
		expect(contact.normalizeMobile('010-12345678')).toBeNull();
		expect(contact.normalizeMobile('+86 138-0013-8000')).toBe('13800138000');
	});

	test('an empty phone is fine unless required', () => {
		expect(validation.phoneIssue('')).toBeUndefined();
		expect(validation.phoneIssue('  ')).toBeUndefined();
		expect(validation.phoneIssue('', true)).toBe('required');
		expect(validation.phoneIssue('  ', true)).toBe('required');
		expect(validation.phoneIssue('13800138000', true)).toBeUndefined();
	});

	test('a member form reports a bad phone on the phone field', () => {
		expect(issuesOf({ phone: '12800138000' })).toEqual({ phone: 'phone_format' });
		expect(issuesOf({ phone: '+86 138 0013 8000' })).toEqual({});
	});

	test('any mobile written with spaces, dashes and a country prefix normalizes to its 11 digits', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^1[3-9]\d{9}$/),
				fc.constantFrom('', '+86', '0086', '+86 ', '0086-'),
				fc.array(fc.constantFrom(' ', '-'), { maxLength: 3 }),
				(mobile, prefix, separators) => {
					let typed = mobile;
					separators.forEach((sep, i) => {
						const at = 3 + 4 * i;
						typed = typed.slice(0, at + i) + sep + typed.slice(at + i);
					});
					expect(contact.normalizePhone(prefix + typed)).toBe(mobile);
				}
			)
		);
	});
});

describe('normalizeBirth', () => {
	test.each([
		['1980', '1980'],
		['1980-1-2', '1980-01-02'],
		['1980-01-02', '1980-01-02'],
		['1980/01/02', '1980-01-02'],
		['1980/1/2', '1980-01-02'],
		['1980.1.2', '1980-01-02'],
		['19800102', '1980-01-02'],
		['1980年1月2日', '1980-01-02'],
		['1980年', '1980'],
		[' 1980 - 1 - 2 ', '1980-01-02'],
		['2000-2-29', '2000-02-29']
	])('reads %j as %j', (input, normalized) => {
		expect(validation.normalizeBirth(input)).toBe(normalized);
	});

	test.each([
		['', 'nothing'],
		['80', 'a two-digit year'],
		['1980-1', 'a year and month'],
		['1980年1月', 'a year and month in Chinese'],
		['1980-13-01', 'month 13'],
		['1980-00-10', 'month 0'],
		['1980-02-30', 'February 30'],
		['1981-02-29', 'February 29 of a common year'],
		['19800230', 'February 30, compact'],
		['1899-12-31', 'a year before 1900'],
		['2101', 'a year after 2100'],
		['1980-01-02x', 'trailing letters'],
		['一九八〇', 'Chinese numerals']
	])('refuses %j (%s)', (input) => {
		expect(validation.normalizeBirth(input)).toBeNull();
	});

	test('a form shows a birth it cannot read as birth_format', () => {
		expect(issuesOf({ birth: '1980-13-01', idNumber: '' })).toEqual({ birth: 'birth_format' });
	});
});

describe('birth in the future', () => {
	test.each([
		['2024-06-16', 'birth_future'],
		['2025', 'birth_future'],
		['2024-12-31', 'birth_future'],
		['2024-06-15', undefined],
		['2024', undefined],
		['2024-06-14', undefined]
	])('born %s, seen on 2024-06-15: %s', (birth, issue) => {
		expect(validation.memberIssues(memberForm({ birth, idNumber: '' }), TODAY).birth).toBe(issue);
	});

	describe('in Beijing time (UTC+8)', () => {
		let tz: string | undefined;
		beforeEach(() => {
			tz = process.env.TZ;
			process.env.TZ = 'Asia/Shanghai';
		});
		afterEach(() => {
			if (tz === undefined) delete process.env.TZ;
			else process.env.TZ = tz;
		});

		test('a baby born today and recorded at 07:30 local time (still yesterday in UTC) is not born in the future', () => {
			const morning = new Date(2024, 5, 15, 7, 30);
			expect(morning.toISOString()).toBe('2024-06-14T23:30:00.000Z');
			expect(validation.memberIssues(memberForm({ birth: '2024-06-15', idNumber: '' }), morning)).toEqual({});
			expect(validation.memberIssues(memberForm({ birth: '2024-06-16', idNumber: '' }), morning)).toEqual({ birth: 'birth_future' });
		});

		test('on New Year morning a birth of the new year is not in the future', () => {
			const newYear = new Date(2025, 0, 1, 6, 0);
			expect(validation.memberIssues(memberForm({ birth: '2025', idNumber: '' }), newYear)).toEqual({});
			expect(validation.memberIssues(memberForm({ birth: '2026', idNumber: '' }), newYear)).toEqual({ birth: 'birth_future' });
		});
	});
});

describe('memberValues', () => {
	test('stores the values trimmed and normalized: upper-case X, bare phone digits, ISO birth', () => {
		const form = memberForm({
			name: '  王秀英 ',
			birth: '1949年12月31日',
			phone: '+86 138-0013-8000',
			idNumber: ' 110105 19491231 002x '
		});
		expect(validation.memberIssues(form, TODAY)).toEqual({});
		expect(validation.memberValues(form)).toEqual({
			name: '王秀英',
			relation: 'head',
			sex: 'female',
			birth: '1949-12-31',
			phone: '13800138000',
			idNumber: ID_FEMALE_1949,
			residence: 'registered'
		});
	});

	test('an empty phone and ID number are stored as absent, not as empty strings', () => {
		const values = validation.memberValues(memberForm({ phone: '  ', idNumber: '', birth: '1949' }));
		expect(values.phone).toBeUndefined();
		expect(values.idNumber).toBeUndefined();
		expect(values.birth).toBe('1949');
	});

	test('a landline is stored as typed, without spaces', () => {
		expect(validation.memberValues(memberForm({ phone: '010 -12345678' })).phone).toBe('010-12345678');
	});

	test('the values of a valid form fit the stored member schema', () => {
		const values = validation.memberValues(memberForm({ phone: '0086 139 1234 5678', idNumber: '11010519491231002x' }));
		expect(() => member({ id: 'm1', ...values })).not.toThrow();
	});

	test('memberForm of a stored member gives back the same values', () => {
		const stored = member({ id: 'm1', phone: '13800138000', idNumber: ID_FEMALE_1949 });
		const form = validation.memberForm(stored);
		expect(validation.memberIssues(form, TODAY)).toEqual({});
		const { id: _id, flags: _flags, ...rest } = stored;
		expect(validation.memberValues(form)).toEqual(rest);
	});

	test('memberForm of a member without phone or ID gives empty strings', () => {
		const form = validation.memberForm(member({ id: 'm1', birth: '1949' }));
		expect(form.phone).toBe('');
		expect(form.idNumber).toBe('');
	});
});
