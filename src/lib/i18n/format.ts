/** "09:41" today, "11-22 09:41" on another day: how staff read times in a log (the same in both languages). */
export function shortTime(ms: number, now = Date.now()): string {
	const date = new Date(ms);
	const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
	if (new Date(now).toDateString() === date.toDateString()) return time;
	return `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/** "3.2 MB": storage sizes as people read them. */
export function fileSize(bytes: number): string {
	if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
	if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
	return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** "2026-12-02 09:41": a moment as an audit trail records it, whatever the day. */
export function fullTime(ms: number): string {
	const date = new Date(ms);
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
