/**
 * Mainland resident identity card numbers (GB 11643): 6-digit region, 8-digit birth date,
 * 3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character.
 */
import { isRealDate } from './calendar';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberProblem = 'format' | 'birth_date' | 'checksum';

/** The check character for the first 17 digits. */
export function checkChar(first17: string): string {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
	return CHECK_CHARS[sum % 11];
}

/** Upper-cases the check letter and strips spaces, as staff type it. */
export function normalize(idNumber: string): string {
	return idNumber.replace(/\s/g, '').toUpperCase();
}

/** Why the number is not a valid ID number, or null when it is. */
export function problem(idNumber: string): IdNumberProblem | null {
	const id = normalize(idNumber);
	if (!/^\d{17}[\dX]$/.test(id)) return 'format';
	if (!isRealBirth(id)) return 'birth_date';
	return checkChar(id) === id[17] ? null : 'checksum';
}

/** Whether the number has 18 characters, a real birth date and a correct check character. */
export function isValid(idNumber: string): boolean {
	return problem(idNumber) === null;
}

/** The birth date written in the number (`YYYY-MM-DD`), or null when it is not a real date. */
export function birthDate(idNumber: string): string | null {
	const id = normalize(idNumber);
	return isRealBirth(id) ? `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}` : null;
}

/** Whether a normalized number's digits 7–14 are a real date since 1800. */
function isRealBirth(id: string): boolean {
	const year = Number(id.slice(6, 10));
	return year >= 1800 && isRealDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

/** The sex written in the number: the 17th digit is odd for men. */
export function sex(idNumber: string): 'male' | 'female' {
	return Number(normalize(idNumber)[16]) % 2 === 1 ? 'male' : 'female';
}

/** Shown everywhere but the member's own edit form: region prefix and last four kept. */
export function mask(idNumber: string): string {
	if (idNumber.length < 8) return '*'.repeat(idNumber.length);
	return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/**
 * Something that looks like an 18-character mainland ID number (17 digits and a digit or X),
 * standing alone: valid or not, typed into a note or a username, it is someone's identity.
 */
const idNumberInText = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

/** A text with every ID number in it masked (see `mask`), e.g. a visit note or a log line. */
export function maskIn(text: string): string {
	return text.replace(idNumberInText, mask);
}
