/**
 * User accounts in SQLite. The account's shape is the shared `userSchema` (so `/api/me`, the
 * client and `accessTo` read the same thing); the password hash never leaves this module.
 */
import { hash, verify } from '@node-rs/argon2';
import { scopeSchema, userSchema, type User } from '../src/lib/domain/access';
import type { Db } from './db';

export const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 256;

// `Algorithm.Argon2id` is a const enum, which tsx (per-file transpiling) cannot inline.
const ARGON2ID = 2;
const hashOptions = { algorithm: ARGON2ID };

export type LoginResult = { ok: true; user: User } | { ok: false; reason: 'invalid_credentials' | 'account_disabled' };

interface UserRow {
	username: string;
	display_name: string;
	role: string;
	scope: string;
	disabled: number;
	password_hash: string;
}

export class UserExistsError extends Error {
	constructor(username: string) {
		super(`user "${username}" already exists`);
		this.name = 'UserExistsError';
	}
}

export type Users = ReturnType<typeof createUsers>;

export function createUsers(db: Db) {
	const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
	const insert = db.prepare(
		`INSERT INTO users (username, display_name, role, scope, disabled, password_hash)
		 VALUES (@username, @displayName, @role, @scope, @disabled, @passwordHash)`
	);
	const updateDisabled = db.prepare<[number, string]>('UPDATE users SET disabled = ? WHERE username = ?');
	const updateScope = db.prepare<[string, string]>('UPDATE users SET scope = ? WHERE username = ?');
	const inCommunity = db.prepare<[string], UserRow>(
		"SELECT * FROM users WHERE json_extract(scope, '$.communityId') = ? ORDER BY username"
	);
	const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');

	const toUser = (row: UserRow): User =>
		userSchema.parse({
			username: row.username,
			displayName: row.display_name,
			role: row.role,
			scope: JSON.parse(row.scope),
			disabled: row.disabled === 1
		});

	// Verifying against a throwaway hash when the username is unknown keeps the answer's timing
	// from telling which usernames exist.
	let decoy: Promise<string> | undefined;

	return {
		/** The account, or null when there is none. */
		get(username: string): User | null {
			const row = byName.get(username);
			return row ? toUser(row) : null;
		},

		count(): number {
			return count.get()!.n;
		},

		/** Every account of a community, disabled ones included, by username. */
		listCommunity(communityId: string): User[] {
			return inCommunity.all(communityId).map(toUser);
		},

		/** Creates an account; throws {@link UserExistsError} when the username is taken. */
		async create(input: User, password: string): Promise<User> {
			const user = userSchema.parse(input);
			checkPassword(password);
			const passwordHash = await hash(password, hashOptions);
			if (byName.get(user.username)) throw new UserExistsError(user.username);
			insert.run({
				username: user.username,
				displayName: user.displayName,
				role: user.role,
				scope: JSON.stringify(user.scope),
				disabled: user.disabled ? 1 : 0,
				passwordHash
			});
			return user;
		},

		/** Returns false when there is no such user. */
		setDisabled(username: string, disabled: boolean): boolean {
			return updateDisabled.run(disabled ? 1 : 0, username).changes === 1;
		},

		/**
		 * Replaces an account's scope; returns the updated account, or null when there is none.
		 * Takes effect at the user's next request or sync connection (each loads the account again).
		 */
		setScope(username: string, scope: User['scope']): User | null {
			const parsed = scopeSchema.parse(scope);
			if (updateScope.run(JSON.stringify(parsed), username).changes !== 1) return null;
			return toUser(byName.get(username)!);
		},

		/** Checks a password. A disabled account is told apart only once the password is right. */
		async login(username: string, password: string): Promise<LoginResult> {
			const row = byName.get(username);
			if (!row) {
				decoy ??= hash('decoy password', hashOptions);
				await verify(await decoy, password);
				return { ok: false, reason: 'invalid_credentials' };
			}
			if (!(await verify(row.password_hash, password))) return { ok: false, reason: 'invalid_credentials' };
			const user = toUser(row);
			return user.disabled ? { ok: false, reason: 'account_disabled' } : { ok: true, user };
		}
	};
}

/** Throws when a new password is too short or too long. */
export function checkPassword(password: string): void {
	if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
		throw new Error(`a password needs ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
	}
}
