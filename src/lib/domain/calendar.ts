/**
 * Calendar checks by arithmetic, not `Date` objects: they run for every person of a register each
 * time it is read (30,000 at once on a coordinator's device), where parsing and printing a `Date`
 * per person cost ten times as much.
 */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(year: number): boolean {
	return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Whether `year-month-day` (month 1–12) is a day of the Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
	if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
	if (month < 1 || month > 12 || day < 1) return false;
	return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]);
}
