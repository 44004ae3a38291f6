/**
 * Serves the built SPA (`build/` from adapter-static) with an `index.html` fallback, since
 * `vite preview` cannot (TOOLCHAIN.md) and the service worker must precache `index.html`.
 *
 * Caching: `/_app/immutable/*` has content hashes in its names, so it is cached for a year;
 * the entry points that name everything else (`index.html`, `sw.js`, the manifest) are never
 * cached, so a new version is seen on the next load; other files are revalidated.
 *
 * Compression: text files go out brotli- or gzip-compressed when the browser accepts it (the
 * app's JS is a quarter of its size that way, which a first load over a weak signal feels). Each
 * file is compressed once, at its best setting, and kept in memory until it changes.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
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

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.xml', '.map']);

type Encoding = 'br' | 'gzip';

const encoders: Record<Encoding, (data: Buffer) => Promise<Buffer>> = {
	br: (data) => promisify(brotliCompress)(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: data.length } }),
	gzip: (data) => promisify(gzip)(data, { level: zlib.Z_BEST_COMPRESSION })
};

/** The encoding to answer with: brotli, else gzip, as far as `Accept-Encoding` allows (q=0 refuses). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
	const accepted = new Set(
		(acceptEncoding ?? '')
			.split(',')
			.map((part) => part.trim().split(';'))
			.filter(([, ...params]) => !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p)))
			.map(([name]) => name.trim().toLowerCase())
	);
	if (accepted.has('br')) return 'br';
	if (accepted.has('gzip')) return 'gzip';
	return null;
}

const compressed = new Map<string, { mtimeMs: number; body: Promise<Buffer> }>();

/** A file's compressed bytes, made once per version of the file. */
function compressedBody(file: string, mtimeMs: number, encoding: Encoding): Promise<Buffer> {
	const key = `${encoding}:${file}`;
	const cached = compressed.get(key);
	if (cached?.mtimeMs === mtimeMs) return cached.body;
	const body = readFile(file).then(encoders[encoding]);
	compressed.set(key, { mtimeMs, body });
	body.catch(() => compressed.delete(key));
	return body;
}

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
		const type = extname(file).toLowerCase();
		const encoding = COMPRESSIBLE.has(type) ? chooseEncoding(request.headers['accept-encoding']) : null;
		const body = encoding ? await compressedBody(file, info.mtimeMs, encoding) : null;
		response.writeHead(200, {
			'Content-Type': contentTypes[type] ?? 'application/octet-stream',
			'Content-Length': body?.length ?? info.size,
			'Cache-Control': cacheControl(path),
			...(COMPRESSIBLE.has(type) ? { Vary: 'Accept-Encoding' } : {}),
			...(encoding ? { 'Content-Encoding': encoding } : {}),
			...(type === '.html' ? { 'Content-Security-Policy': await policyOf(file, info.mtimeMs) } : {})
		});
		if (request.method === 'HEAD') {
			response.end();
			return;
		}
		if (body) {
			response.end(body);
			return;
		}
		createReadStream(file)
			.on('error', () => response.destroy())
			.pipe(response);
	};
}
