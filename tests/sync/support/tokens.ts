/**
 * Tokens the server did not hand out, for tests of expired and forged ones: signed with `jose`,
 * the library the server uses, with the same claims as the server's own. An expired token needs
 * the server's key, read from the settings table of the test's database where the server keeps
 * it (waiting 30 days or moving the server's clock are the only other ways to get one).
 */
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { join } from 'node:path';

export function serverKey(dataDir: string): Uint8Array {
	const db = new Database(join(dataDir, 'gridwalk.sqlite'), { readonly: true });
	try {
		return new Uint8Array((db.prepare("SELECT value FROM settings WHERE key = 'token_secret'").get() as { value: Buffer }).value);
	} finally {
		db.close();
	}
}

/** Times in seconds since the epoch. */
export function signToken(key: Uint8Array, username: string, issuedAt: number, expires: number): Promise<string> {
	return new SignJWT({})
		.setProtectedHeader({ alg: 'HS256' })
		.setSubject(username)
		.setIssuer('gridwalk')
		.setIssuedAt(issuedAt)
		.setExpirationTime(expires)
		.sign(key);
}
