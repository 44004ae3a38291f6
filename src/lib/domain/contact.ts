/**
 * Phone numbers as staff type them: spaces, dashes and a +86/0086 prefix are accepted and
 * stripped. Mainland mobiles are 11 digits starting 13–19; landlines have a 3–4 digit area code.
 */
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

/** The number without decoration, or null when it is not a mainland mobile. */
export function normalizeMobile(input: string): string | null {
	const digits = input.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
	return MOBILE.test(digits) ? digits : null;
}

/** A mobile (normalized) or a landline (`010-12345678`), or null when it is neither. */
export function normalizePhone(input: string): string | null {
	const mobile = normalizeMobile(input);
	if (mobile) return mobile;
	const landline = input.replace(/\s/g, '');
	return LANDLINE.test(landline) ? landline : null;
}
