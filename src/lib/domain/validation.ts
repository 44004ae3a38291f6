/**
 * Form rules for the household file, checked as people type. Each returns reason codes (the UI
 * turns them into words in the user's language); a form can be saved only with no issues.
 * The stored-value schemas in household.ts hold each field alone; these add what a form needs:
 * required fields, and the ID number agreeing with the birth date and sex typed beside it.
 */
import * as idNumber from './id-number';
import { normalizePhone } from './contact';
import { birthSchema, relations, residenceStatuses, sexes, type Member } from './household';

export type IssueCode =
	| 'required'
	| 'too_long'
	| 'id_format'
	| 'id_birth_date'
	| 'id_checksum'
	| 'id_birth_mismatch'
	| 'id_sex_mismatch'
	| 'phone_format'
	| 'birth_format'
	| 'birth_future';

/** A member form as typed: every field a string, nothing normalized yet. */
export interface MemberForm {
	name: string;
	relation: string;
	sex: string;
	birth: string;
	phone: string;
	idNumber: string;
	residence: string;
}

export type MemberIssues = Partial<Record<keyof MemberForm, IssueCode>>;

export const emptyMemberForm: MemberForm = {
	name: '',
	relation: '',
	sex: '',
	birth: '',
	phone: '',
	idNumber: '',
	residence: 'registered'
};

export function memberForm(member: Member): MemberForm {
	return {
		name: member.name,
		relation: member.relation,
		sex: member.sex,
		birth: member.birth,
		phone: member.phone ?? '',
		idNumber: member.idNumber ?? '',
		residence: member.residence
	};
}

/** Accepts 1980, 1980-1-2, 1980/01/02, 1980.1.2 and 19800102; returns `YYYY` or `YYYY-MM-DD`, or null. */
export function normalizeBirth(input: string): string | null {
	const text = input.trim().replace(/[年月.]/g, '-').replace(/[日\s]/g, '').replace(/\//g, '-');
	let candidate: string;
	const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	const parts = /^(\d{4})(?:-(\d{1,2})-(\d{1,2}))?-?$/.exec(text);
	if (compact) candidate = `${compact[1]}-${compact[2]}-${compact[3]}`;
	else if (parts) candidate = parts[2] ? `${parts[1]}-${parts[2].padStart(2, '0')}-${parts[3].padStart(2, '0')}` : parts[1];
	else return null;
	return birthSchema.safeParse(candidate).success ? candidate : null;
}

export function phoneIssue(phone: string, required = false): IssueCode | undefined {
	if (!phone.trim()) return required ? 'required' : undefined;
	return normalizePhone(phone) ? undefined : 'phone_format';
}

/** The calendar date on the device (`YYYY-MM-DD`): a baby born today in Beijing is not "in the future" before 08:00, when UTC is still yesterday. */
function localDate(date: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function memberIssues(form: MemberForm, today: Date): MemberIssues {
	const issues: MemberIssues = {};
	if (!form.name.trim()) issues.name = 'required';
	else if (form.name.trim().length > 40) issues.name = 'too_long';
	if (!(relations as readonly string[]).includes(form.relation)) issues.relation = 'required';
	if (!(sexes as readonly string[]).includes(form.sex)) issues.sex = 'required';
	if (!(residenceStatuses as readonly string[]).includes(form.residence)) issues.residence = 'required';

	const birth = form.birth.trim() ? normalizeBirth(form.birth) : null;
	if (!form.birth.trim()) issues.birth = 'required';
	else if (!birth) issues.birth = 'birth_format';
	else if (birth > localDate(today).slice(0, birth.length)) issues.birth = 'birth_future';

	const phone = phoneIssue(form.phone);
	if (phone) issues.phone = phone;

	if (form.idNumber.trim()) {
		const id = idNumber.normalize(form.idNumber);
		const problem = idNumber.problem(id);
		if (problem) issues.idNumber = `id_${problem}`;
		else if (birth && !idNumber.birthDate(id)!.startsWith(birth)) issues.idNumber = 'id_birth_mismatch';
		else if ((sexes as readonly string[]).includes(form.sex) && idNumber.sex(id) !== form.sex) issues.idNumber = 'id_sex_mismatch';
	}
	return issues;
}

export function hasIssues(issues: object): boolean {
	return Object.keys(issues).length > 0;
}

/** The member's values as stored: trimmed and normalized. Call only when `memberIssues` is empty. */
export function memberValues(form: MemberForm): Omit<Member, 'id' | 'flags'> {
	return {
		name: form.name.trim(),
		relation: form.relation as Member['relation'],
		sex: form.sex as Member['sex'],
		birth: normalizeBirth(form.birth)!,
		phone: form.phone.trim() ? normalizePhone(form.phone)! : undefined,
		idNumber: form.idNumber.trim() ? idNumber.normalize(form.idNumber) : undefined,
		residence: form.residence as Member['residence']
	};
}
