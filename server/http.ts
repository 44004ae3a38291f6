/**
 * The HTTP API and the static app:
 *
 * - `GET /healthz` → `{ok, version, uptimeSeconds}`
 * - `POST /api/login` `{username, password}` → `{token, user}`
 * - `GET /api/me` (Bearer token) → `{user, documents: [{name, kind, access}]}`
 * - `GET /api/users` (coordinator) → `[{username, displayName, role, gridIds, disabled}]`, the
 *   accounts of the coordinator's community
 * - `PATCH /api/users/:username` (coordinator) `{gridIds}` → that account, same shape: the grids
 *   a non-coordinator of the same community works in. The API's one write, because a scope is
 *   the server's to keep (it decides access); every request loads the account again, and open
 *   sync connections that lost access are closed at once (see sync.ts).
 * - anything else under `/api/` → 404; other GET/HEAD paths → the built app.
 *
 * Errors are `{error: {code, message}}` with a stable code (see errors.ts), never a stack.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { documentsFor, userSchema, type User } from '../src/lib/domain/access';
import { idSchema } from '../src/lib/domain/places';
import { authenticate, type Tokens } from './auth';
import type { Communities } from './communities';
import { ApiError } from './errors';
import type { LoginThrottle } from './login-throttle';
import { createStaticHandler } from './static-files';
import { baseSecurityHeaders } from './security-headers';
import type { Users } from './users';
import { requestPath } from './request-path';

const MAX_BODY_BYTES = 16 * 1024;

const loginSchema = z.object({
	username: z.string().trim().toLowerCase().min(1).max(64),
	password: z.string().min(1).max(256)
});

const gridIdsSchema = z.strictObject({ gridIds: z.array(idSchema).max(500) });

const USERS_PATH = '/api/users';
const userPath = /^\/api\/users\/([^/]+)$/;

/** An account as the coordinator's user list shows it. */
const summary = (user: User) => ({
	username: user.username,
	displayName: user.displayName,
	role: user.role,
	gridIds: user.scope.gridIds,
	disabled: user.disabled
});

export interface HttpDependencies {
	users: Users;
	tokens: Tokens;
	communities: Communities;
	throttle: LoginThrottle;
	staticDir: string;
	version: string;
	/** Called with errors that became a 500, for the log. */
	onError?: (error: unknown) => void;
	/** Called when a login is refused (wrong password, disabled account, too many attempts), for the log. */
	onLoginRefused?: (username: string, address: string, code: string) => void;
	/** Called after an account's access changed, so open sync connections are judged again. */
	onAccessChanged?: () => void;
}

export function createRequestHandler(deps: HttpDependencies) {
	const serveStatic = createStaticHandler(deps.staticDir);
	const startedAt = Date.now();

	const profile = (user: User) => ({
		user,
		documents: documentsFor(user, deps.communities.gridIds(user.scope.communityId)).map((grant) => ({
			name: grant.name,
			kind: grant.ref.kind,
			access: grant.access
		}))
	});

	async function login(request: IncomingMessage) {
		const body = loginSchema.safeParse(await readJson(request));
		if (!body.success) throw new ApiError(400, 'bad_request', 'Expected {"username": string, "password": string}');
		// The same account however it is typed, so "Worker1" and "worker1 " share one count.
		const username = body.data.username.trim().toLowerCase();
		const { password } = body.data;
		const address = request.socket.remoteAddress ?? 'unknown';
		try {
			return await deps.throttle.serialize(username, () => attemptLogin(username, password, address));
		} catch (error) {
			if (error instanceof ApiError) deps.onLoginRefused?.(username, address, error.code);
			throw error;
		}
	}

	async function attemptLogin(username: string, password: string, address: string) {
		const decision = deps.throttle.check(username, address);
		if (decision.refused) {
			const seconds = Math.ceil(decision.retryAfterMs / 1000);
			throw new ApiError(429, 'too_many_attempts', `Too many failed attempts; try again in ${seconds} s`, {
				'Retry-After': String(seconds)
			});
		}
		if (decision.delayMs > 0) await sleep(decision.delayMs);
		const result = await deps.users.login(username, password);
		if (!result.ok) {
			deps.throttle.failed(username, address);
			if (result.reason === 'account_disabled') throw new ApiError(403, 'account_disabled', 'This account is disabled');
			throw new ApiError(401, 'invalid_credentials', 'Wrong username or password');
		}
		deps.throttle.succeeded(username);
		return { token: await deps.tokens.issue(result.user.username), user: result.user };
	}

	function signedIn(request: IncomingMessage): Promise<User> {
		const header = request.headers.authorization ?? '';
		const token = /^Bearer (\S+)$/i.exec(header)?.[1];
		return authenticate(token, deps.tokens, deps.users);
	}

	async function me(request: IncomingMessage) {
		return profile(await signedIn(request));
	}

	async function coordinator(request: IncomingMessage): Promise<User> {
		const user = await signedIn(request);
		if (user.role !== 'coordinator') throw new ApiError(403, 'forbidden', 'Only a coordinator may do this');
		return user;
	}

	async function listUsers(request: IncomingMessage) {
		const by = await coordinator(request);
		return deps.users.listCommunity(by.scope.communityId).map(summary);
	}

	async function setUserGrids(request: IncomingMessage, username: string) {
		const by = await coordinator(request);
		const communityId = by.scope.communityId;
		const target = userSchema.shape.username.safeParse(username).success ? deps.users.get(username) : null;
		// Someone in another community is answered as no one, so the answer tells nothing about them.
		if (!target || target.scope.communityId !== communityId) throw new ApiError(404, 'not_found', 'No such user in this community');
		const body = gridIdsSchema.safeParse(await readJson(request));
		if (!body.success) throw new ApiError(400, 'bad_request', 'Expected {"gridIds": string[]}');
		if (target.role === 'coordinator') {
			throw new ApiError(400, 'coordinator_scope', "A coordinator's scope is the whole community");
		}
		const communityGrids = deps.communities.gridIds(communityId);
		const unknown = body.data.gridIds.filter((gridId) => !communityGrids.includes(gridId));
		if (unknown.length > 0) throw new ApiError(400, 'unknown_grid', `No such grid in this community: ${unknown.join(', ')}`);
		const wanted = new Set(body.data.gridIds);
		const updated = deps.users.setScope(target.username, { communityId, gridIds: communityGrids.filter((g) => wanted.has(g)) });
		if (!updated) throw new ApiError(404, 'not_found', 'No such user in this community');
		deps.onAccessChanged?.();
		return summary(updated);
	}

	async function route(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
		const method = request.method ?? 'GET';
		const only = (allowed: string) => {
			if (method !== allowed) throw new ApiError(405, 'method_not_allowed', `Use ${allowed}`, { Allow: allowed });
		};
		if (path === '/healthz') {
			only('GET');
			return sendJson(response, 200, {
				ok: true,
				version: deps.version,
				uptimeSeconds: Math.round((Date.now() - startedAt) / 1000)
			});
		}
		if (path === '/api/login') {
			only('POST');
			return sendJson(response, 200, await login(request));
		}
		if (path === '/api/me') {
			only('GET');
			return sendJson(response, 200, await me(request));
		}
		if (path === USERS_PATH) {
			only('GET');
			return sendJson(response, 200, await listUsers(request));
		}
		const userMatch = userPath.exec(path);
		if (userMatch) {
			only('PATCH');
			return sendJson(response, 200, await setUserGrids(request, safeDecode(userMatch[1])));
		}
		if (path === '/api' || path.startsWith('/api/') || path === '/sync') {
			throw new ApiError(404, 'not_found', 'No such endpoint');
		}
		if (method !== 'GET' && method !== 'HEAD') throw new ApiError(405, 'method_not_allowed', 'Use GET', { Allow: 'GET, HEAD' });
		return serveStatic(request, response, path);
	}

	return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
		const path = requestPath(request.url);
		for (const [name, value] of Object.entries(baseSecurityHeaders)) response.setHeader(name, value);
		try {
			await route(request, response, path);
		} catch (error) {
			if (!(error instanceof ApiError)) deps.onError?.(error);
			const known = error instanceof ApiError ? error : new ApiError(500, 'internal', 'Internal error');
			if (response.headersSent) {
				response.destroy();
				return;
			}
			sendJson(response, known.status, { error: { code: known.code, message: known.message } }, known.headers);
		}
	};
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-store',
		...headers
	});
	response.end(text);
}

/** A percent-decoded path segment; a malformed one is kept as written (it then matches no user). */
function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

async function readJson(request: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) throw new ApiError(413, 'payload_too_large', 'Request body too large');
		chunks.push(chunk);
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new ApiError(400, 'bad_request', 'The request body is not valid JSON');
	}
}
