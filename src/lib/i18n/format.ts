import { getLocale } from '$lib/paraglide/runtime';

/** "09:41" today, "11-22 09:41" on another day: how staff read times in a log. */
export function shortTime(ms: number, now = Date.now()): string {
	const date = new Date(ms);
	const time = date.toLocaleTimeString(getLocale(), { hour: '2-digit', minute: '2-digit', hour12: false });
	if (new Date(now).toDateString() === date.toDateString()) return time;
	const day = `${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
	return `${day} ${time}`;
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
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
