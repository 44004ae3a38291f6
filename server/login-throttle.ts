/**
 * Slows down password guessing, in memory (one process; a restart forgets, which is fine).
 *
 * Failed logins are counted per username and per client address for a window. Past a few free
 * failures each attempt waits longer (doubling, capped); past a limit attempts are refused with
 * 429 until the window ends. The address limit is much higher than the username one because a
 * whole community office may share one address.
 */
export interface ThrottleLimits {
	/** Failures allowed before attempts start to wait. */
	free: number;
	/** Failures after which attempts are refused. */
	max: number;
}

export interface ThrottleOptions {
	perUsername?: ThrottleLimits;
	perAddress?: ThrottleLimits;
	/** Wait after the first failure past `free`; doubles with each further one. */
	baseDelayMs?: number;
	maxDelayMs?: number;
	/** How long failures are remembered after the last one. */
	windowMs?: number;
	now?: () => number;
}

export type ThrottleDecision = { refused: true; retryAfterMs: number } | { refused: false; delayMs: number };

interface Failures {
	count: number;
	last: number;
}

/** Keeps memory bounded against floods of made-up usernames. */
const MAX_TRACKED = 50_000;

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export function createLoginThrottle(options: ThrottleOptions = {}) {
	const perUsername = options.perUsername ?? { free: 3, max: 8 };
	const perAddress = options.perAddress ?? { free: 30, max: 200 };
	const baseDelayMs = options.baseDelayMs ?? 100;
	const maxDelayMs = options.maxDelayMs ?? 4_000;
	const windowMs = options.windowMs ?? 15 * 60_000;
	const now = options.now ?? Date.now;
	const failures = new Map<string, Failures>();
	/** The attempt under way per username: attempts for one name are judged one after another. */
	const inFlight = new Map<string, Promise<unknown>>();

	const keys = (username: string, address: string): [string, ThrottleLimits][] => [
		[`user:${username}`, perUsername],
		[`addr:${address}`, perAddress]
	];

	const countOf = (key: string): Failures | undefined => {
		const entry = failures.get(key);
		if (entry && now() - entry.last > windowMs) {
			failures.delete(key);
			return undefined;
		}
		return entry;
	};

	const prune = () => {
		for (const [key, entry] of failures) if (now() - entry.last > windowMs) failures.delete(key);
		// Still too many: forget the oldest (Map keeps insertion order).
		for (const key of failures.keys()) {
			if (failures.size <= MAX_TRACKED) break;
			failures.delete(key);
		}
	};

	return {
		/** What to do with a login attempt before checking its password. */
		check(username: string, address: string): ThrottleDecision {
			let delayMs = 0;
			let retryAfterMs = 0;
			for (const [key, limits] of keys(username, address)) {
				const entry = countOf(key);
				if (!entry) continue;
				if (entry.count >= limits.max) retryAfterMs = Math.max(retryAfterMs, entry.last + windowMs - now());
				else if (entry.count >= limits.free) {
					delayMs = Math.max(delayMs, Math.min(maxDelayMs, baseDelayMs * 2 ** (entry.count - limits.free)));
				}
			}
			return retryAfterMs > 0 ? { refused: true, retryAfterMs } : { refused: false, delayMs };
		},
		failed(username: string, address: string): void {
			for (const [key] of keys(username, address)) {
				const entry = countOf(key);
				failures.delete(key); // re-insert so the Map stays ordered by last failure
				failures.set(key, { count: (entry?.count ?? 0) + 1, last: now() });
			}
			if (failures.size > MAX_TRACKED) prune();
		},
		/** A right password clears the username's failures (not the address's). */
		succeeded(username: string): void {
			failures.delete(`user:${username}`);
		},
		/**
		 * Runs one attempt for a username after the ones already under way: many guesses sent at
		 * once would otherwise all be checked before any failure was counted.
		 */
		async serialize<T>(username: string, attempt: () => Promise<T>): Promise<T> {
			const previous = inFlight.get(username) ?? Promise.resolve();
			const current = previous.catch(() => undefined).then(attempt);
			inFlight.set(username, current);
			try {
				return await current;
			} finally {
				if (inFlight.get(username) === current) inFlight.delete(username);
			}
		}
	};
}
