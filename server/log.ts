/**
 * The server's log. Every line the server writes goes through `forLog`, so an ID number never
 * reaches stdout or stderr in full, whoever wrote the line: our code (failed logins, refused
 * changes, errors), Hocuspocus, a library, or an unhandled error. A username may be an ID
 * number, and a refused or broken change may carry one anywhere.
 */
import { format } from 'node:util';
import { mask, maskIn } from '../src/lib/domain/id-number';

/** Keys whose values are personal data: shown masked in a logged object, whatever they hold. */
const personalKeys = new Set(['idNumber', 'phone', 'name', 'displayName', 'password', 'token', 'note', 'notes', 'description']);

export type Log = (message: string, detail?: unknown) => void;

/** Text fit for the log: values under personal keys masked, then every ID number in the text. */
export function forLog(...parts: unknown[]): string {
	return maskIn(format(...parts.map((part) => (typeof part === 'object' && part !== null ? withoutPersonal(part, new WeakSet()) : part))));
}

/** Writes one line to stderr, masked. */
export const log: Log = (message, detail) => {
	process.stderr.write(`${detail === undefined ? forLog(message) : forLog(message, detail)}\n`);
};

/** Sends everything written through `console` (by any module in this process) through `forLog`. */
export function maskConsole(target: Console = console): void {
	for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
		const write = target[method].bind(target);
		target[method] = (...args: unknown[]) => write(forLog(...args));
	}
}

function hidden(value: unknown): unknown {
	return typeof value === 'string' ? mask(value) : '***';
}

/** A copy of an object with the values under personal keys masked, for `inspect` to print. */
function withoutPersonal(value: unknown, seen: WeakSet<object>): unknown {
	if (typeof value !== 'object' || value === null || seen.has(value)) return value;
	seen.add(value);
	if (Array.isArray(value)) return value.map((item) => withoutPersonal(item, seen));
	const plain = Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null;
	if (!plain && !(value instanceof Error)) return value;
	const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(value));
	if (value instanceof Error) {
		// What inspect prints for an error: its stack (which holds the message), then own properties.
		Object.defineProperty(copy, 'stack', { value: value.stack ?? String(value), enumerable: false });
		Object.defineProperty(copy, 'message', { value: value.message, enumerable: false });
		if (value.cause !== undefined) Object.defineProperty(copy, 'cause', { value: withoutPersonal(value.cause, seen), enumerable: false });
	}
	for (const [key, item] of Object.entries(value)) copy[key] = personalKeys.has(key) ? hidden(item) : withoutPersonal(item, seen);
	return copy;
}
