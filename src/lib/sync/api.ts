/**
 * The HTTP API of the sync server: login, the signed-in user's grants, and (coordinators) the
 * community's accounts and the grids each works in.
 */
import { z } from 'zod';
import { userSchema, type DocumentGrant, type User } from '../domain/access';
import { idSchema } from '../domain/places';

export type ApiErrorCode = 'invalid_credentials' | 'too_many_attempts' | 'network' | 'session_expired' | 'unexpected';

/** A failed API call, with a reason code the UI turns into a localized message. */
export class ApiError extends Error {
	constructor(
		readonly code: ApiErrorCode,
		detail: string = code
	) {
		super(detail);
		this.name = 'ApiError';
	}
}

const loginResponseSchema = z.object({ token: z.string().min(1), user: userSchema });

const grantSchema = z.object({
	name: z.string(),
	kind: z.enum(['index', 'register']),
	access: z.enum(['read', 'write'])
});
const meResponseSchema = z.object({ user: userSchema, documents: z.array(grantSchema) });

/** An account as a coordinator's user list shows it. */
export const userSummarySchema = z.object({
	username: userSchema.shape.username,
	displayName: userSchema.shape.displayName,
	role: userSchema.shape.role,
	gridIds: z.array(idSchema),
	disabled: z.boolean()
});
export type UserSummary = z.output<typeof userSummarySchema>;

async function call(path: string, init: RequestInit): Promise<unknown> {
	let response: Response;
	try {
		response = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
	} catch {
		throw new ApiError('network');
	}
	const body: unknown = await response.json().catch(() => null);
	if (response.ok) return body;
	const code = (body as { error?: { code?: string } } | null)?.error?.code;
	if (response.status === 401) throw new ApiError(code === 'invalid_credentials' ? 'invalid_credentials' : 'session_expired');
	if (response.status === 429) throw new ApiError('too_many_attempts');
	throw new ApiError('unexpected', `HTTP ${response.status}${code ? ` ${code}` : ''}`);
}

export async function login(username: string, password: string): Promise<{ token: string; user: User }> {
	const body = await call('/api/login', { method: 'POST', body: JSON.stringify({ username, password }) });
	return loginResponseSchema.parse(body);
}

export async function me(token: string): Promise<{ user: User; documents: Omit<DocumentGrant, 'ref'>[] }> {
	const body = await call('/api/me', { method: 'GET', headers: { authorization: `Bearer ${token}` } });
	return meResponseSchema.parse(body);
}

/** Every account of the coordinator's community (coordinators only). */
export async function users(token: string): Promise<UserSummary[]> {
	const body = await call('/api/users', { method: 'GET', headers: { authorization: `Bearer ${token}` } });
	return z.array(userSummarySchema).parse(body);
}

/**
 * Sets the grids a grid worker, tester or volunteer works in (coordinators only). Applies from
 * that user's next sign-in, start of the app online, or sync connection.
 */
export async function updateUserGrids(token: string, username: string, gridIds: readonly string[]): Promise<UserSummary> {
	const body = await call(`/api/users/${encodeURIComponent(username)}`, {
		method: 'PATCH',
		headers: { authorization: `Bearer ${token}` },
		body: JSON.stringify({ gridIds })
	});
	return userSummarySchema.parse(body);
}
