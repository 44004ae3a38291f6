/**
 * The path of a request target, without query. Not `new URL(target, base)`: a target such as
 * `//` throws there, and a throw in a request or upgrade handler would drop the request or,
 * in an `upgrade` listener, crash the process.
 */
export function requestPath(target: string | undefined): string {
	const path = (target ?? '/').split(/[?#]/, 1)[0];
	return path.startsWith('/') ? path : `/${path}`;
}
