/**
 * Mainland resident identity card numbers (GB 11643): 6-digit region, 8-digit birth date,
 * 3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits. */
export function checkChar(first17: string): string {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
	return CHECK_CHARS[sum % 11];
}

/** Whether the number has 18 characters, a real birth date and a correct check character. */
export function isValid(idNumber: string): boolean {
	const id = idNumber.trim().toUpperCase();
	if (!/^\d{17}[\dX]$/.test(id)) return false;
	const year = Number(id.slice(6, 10));
	const month = Number(id.slice(10, 12));
	const day = Number(id.slice(12, 14));
	const date = new Date(Date.UTC(year, month - 1, day));
	// No earliest year in the standard, and the worked example 440524188001010014 was born in
	// 1880: only years before 1800 are refused as typos.
	const realDate =
		year >= 1800 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
	return realDate && checkChar(id) === id[17];
}

/** Shown everywhere but the member's own edit form: region and check kept, the rest hidden. */
export function mask(idNumber: string): string {
	if (idNumber.length < 8) return '*'.repeat(idNumber.length);
	return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}
