/**
 * Errors the HTTP API answers with: a status and a stable reason code the client can map to a
 * translated message. Anything else thrown becomes a 500 with no detail (no stack traces out).
 */
export type ApiErrorCode =
	| 'bad_request'
	| 'invalid_credentials'
	| 'too_many_attempts'
	| 'invalid_token'
	| 'account_disabled'
	| 'forbidden'
	| 'coordinator_scope'
	| 'unknown_grid'
	| 'not_found'
	| 'method_not_allowed'
	| 'payload_too_large'
	| 'internal';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: ApiErrorCode,
		message: string,
		/** Extra response headers, e.g. `Retry-After`. */
		readonly headers: Record<string, string> = {}
	) {
		super(message);
		this.name = 'ApiError';
	}
}
