/**
 * Bearer tokens: HS256 JWTs (issuer `gridwalk`, subject = username) valid for 30 days, because
 * field workers may stay offline for weeks and must still sync when they come back. A token
 * only names the user: every request and every sync connection loads the account again, so a
 * disabled account or a changed scope takes effect at once.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { User } from '../src/lib/domain/access';
import type { Db } from './db';
import { ApiError } from './errors';
import type { Users } from './users';

export const TOKEN_ISSUER = 'gridwalk';
export const TOKEN_LIFETIME = '30d';
const ALGORITHM = 'HS256';
const SECRET_KEY = 'token_secret';

/** The signing secret, generated on first use and kept in the database. */
export function tokenSecret(db: Db): Uint8Array {
	const row = db.prepare<[string], { value: Buffer }>('SELECT value FROM settings WHERE key = ?').get(SECRET_KEY);
	if (row) return new Uint8Array(row.value);
	const secret = randomBytes(32);
	// OR IGNORE and read back: two processes starting together still agree on one secret.
	db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(SECRET_KEY, secret);
	return tokenSecret(db);
}

export type Tokens = ReturnType<typeof createTokens>;

export function createTokens(secret: Uint8Array) {
	return {
		issue(username: string): Promise<string> {
			return new SignJWT({})
				.setProtectedHeader({ alg: ALGORITHM })
				.setSubject(username)
				.setIssuer(TOKEN_ISSUER)
				.setIssuedAt()
				.setExpirationTime(TOKEN_LIFETIME)
				.sign(secret);
		},
		/** The username a valid token names, or null for a forged, expired or malformed one. */
		async verify(token: string): Promise<string | null> {
			try {
				const { payload } = await jwtVerify(token, secret, { issuer: TOKEN_ISSUER, algorithms: [ALGORITHM] });
				return typeof payload.sub === 'string' ? payload.sub : null;
			} catch {
				return null;
			}
		}
	};
}

/** The enabled user a token names; throws a 401 {@link ApiError} otherwise. */
export async function authenticate(token: string | null | undefined, tokens: Tokens, users: Users): Promise<User> {
	const username = token ? await tokens.verify(token) : null;
	const user = username ? users.get(username) : null;
	if (!user) throw new ApiError(401, 'invalid_token', 'Sign in again');
	if (user.disabled) throw new ApiError(401, 'account_disabled', 'This account is disabled');
	return user;
}
