/**
 * The HTTP API and the static app:
 *
 * - `GET /healthz` → `{ok, version, uptimeSeconds}`
 * - `POST /api/login` `{username, password}` → `{token, user}`
 * - `GET /api/me` (Bearer token) → `{user, documents: [{name, kind, access}]}`
 * - anything else under `/api/` → 404; other GET/HEAD paths → the built app.
 *
 * Errors are `{error: {code, message}}` with a stable code (see errors.ts), never a stack.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { documentsFor, type User } from '../src/lib/domain/access';
import { authenticate, type Tokens } from './auth';
import type { Communities } from './communities';
import { ApiError } from './errors';
import type { LoginThrottle } from './login-throttle';
import { createStaticHandler } from './static-files';
import type { Users } from './users';
import { requestPath } from './request-path';

const MAX_BODY_BYTES = 16 * 1024;

const loginSchema = z.object({
	username: z.string().trim().toLowerCase().min(1).max(64),
	password: z.string().min(1).max(256)
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
		const { username, password } = body.data;
		const address = request.socket.remoteAddress ?? 'unknown';
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

	async function me(request: IncomingMessage) {
		const header = request.headers.authorization ?? '';
		const token = /^Bearer (\S+)$/i.exec(header)?.[1];
		return profile(await authenticate(token, deps.tokens, deps.users));
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
		if (path === '/api' || path.startsWith('/api/') || path === '/sync') {
			throw new ApiError(404, 'not_found', 'No such endpoint');
		}
		if (method !== 'GET' && method !== 'HEAD') throw new ApiError(405, 'method_not_allowed', 'Use GET', { Allow: 'GET, HEAD' });
		return serveStatic(request, response, path);
	}

	return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
		const path = requestPath(request.url);
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
