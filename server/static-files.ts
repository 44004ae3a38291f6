/**
 * Serves the built SPA (`build/` from adapter-static) with an `index.html` fallback, since
 * `vite preview` cannot (TOOLCHAIN.md) and the service worker must precache `index.html`.
 *
 * Caching: `/_app/immutable/*` has content hashes in its names, so it is cached for a year;
 * the entry points that name everything else (`index.html`, `sw.js`, the manifest) are never
 * cached, so a new version is seen on the next load; other files are revalidated.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy, inlineScriptHashes } from './security-headers';

const contentTypes: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.ico': 'image/x-icon',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.wasm': 'application/wasm',
	'.txt': 'text/plain; charset=utf-8',
	'.xml': 'application/xml; charset=utf-8',
	'.map': 'application/json; charset=utf-8'
};

const NO_CACHE = new Set(['/index.html', '/sw.js', '/manifest.webmanifest', '/registerSW.js']);

function cacheControl(path: string): string {
	if (path.startsWith('/_app/immutable/')) return 'public, max-age=31536000, immutable';
	if (NO_CACHE.has(path)) return 'no-cache';
	return 'public, max-age=0, must-revalidate';
}

/** The file under `root` a URL path names, or null when it would step outside `root`. */
function resolveInside(root: string, urlPath: string): string | null {
	let decoded: string;
	try {
		decoded = decodeURIComponent(urlPath);
	} catch {
		return null;
	}
	if (decoded.includes('\0')) return null;
	const file = normalize(join(root, decoded));
	return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

async function isFile(path: string): Promise<boolean> {
	try {
		return (await stat(path)).isFile();
	} catch {
		return false;
	}
}

const policies = new Map<string, { mtimeMs: number; policy: string }>();

/** The CSP of an HTML file, with hashes of its inline scripts; recomputed when the file changes. */
async function policyOf(file: string, mtimeMs: number): Promise<string> {
	const cached = policies.get(file);
	if (cached?.mtimeMs === mtimeMs) return cached.policy;
	const policy = contentSecurityPolicy(inlineScriptHashes(await readFile(file, 'utf8')));
	policies.set(file, { mtimeMs, policy });
	return policy;
}

/**
 * A handler for GET/HEAD of static files. A path without an extension that names no file is a
 * client-side route and gets `index.html`; a missing file with an extension is a 404 (serving
 * HTML in place of a missing script would be cached by the service worker as that script).
 */
export function createStaticHandler(root: string) {
	const rootDir = normalize(root);
	return async (request: IncomingMessage, response: ServerResponse, urlPath: string): Promise<void> => {
		let path = urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath;
		let file = resolveInside(rootDir, path);
		if (file && !(await isFile(file)) && extname(path) === '') {
			path = '/index.html';
			file = join(rootDir, 'index.html');
		}
		if (!file || !(await isFile(file))) {
			const missingApp = path === '/index.html';
			response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
			response.end(missingApp ? 'The app is not built: run `npm run build`.\n' : 'Not found\n');
			return;
		}
		const info = await stat(file);
		const html = extname(file).toLowerCase() === '.html';
		response.writeHead(200, {
			'Content-Type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
			'Content-Length': info.size,
			'Cache-Control': cacheControl(path),
			...(html ? { 'Content-Security-Policy': await policyOf(file, info.mtimeMs) } : {})
		});
		if (request.method === 'HEAD') {
			response.end();
			return;
		}
		createReadStream(file)
			.on('error', () => response.destroy())
			.pipe(response);
	};
}
