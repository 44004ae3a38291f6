/**
 * The static app's compression: text files go out as brotli or gzip when the browser accepts
 * it, decompress to the file exactly, say so (`Content-Encoding`, `Vary`), and follow a changed
 * file; images and clients that accept neither get the bytes as they are.
 */
import { mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding, createStaticHandler } from '../../server/static-files';

const root = mkdtempSync(join(tmpdir(), 'gridwalk-static-'));
const script = 'export const doors = [' + Array.from({ length: 2000 }, (_, i) => `"门${i}"`).join(',') + '];\n';
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, ...Array.from({ length: 2000 }, () => 7)]);
let server: Server;
let port: number;

beforeAll(async () => {
	writeFileSync(join(root, 'index.html'), '<!doctype html><title>网格通</title>');
	writeFileSync(join(root, 'app.js'), script);
	writeFileSync(join(root, 'icon.png'), png);
	const handle = createStaticHandler(root);
	server = createServer((req, res) => void handle(req, res, new URL(req.url!, 'http://x').pathname));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as { port: number }).port;
});
afterAll(() => {
	server.close();
	rmSync(root, { recursive: true, force: true });
});

function get(path: string, acceptEncoding?: string, method = 'GET') {
	return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, method, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('static files: compression', () => {
	it('sends brotli to a browser that accepts it, smaller, and it decompresses to the file', async () => {
		const { headers, body } = await get('/app.js', 'gzip, deflate, br, zstd');
		expect(headers['content-encoding']).toBe('br');
		expect(headers.vary).toBe('Accept-Encoding');
		expect(Number(headers['content-length'])).toBe(body.length);
		expect(body.length).toBeLessThan(Buffer.byteLength(script) / 4);
		expect(brotliDecompressSync(body).toString()).toBe(script);
	});

	it('sends gzip when brotli is not accepted, and the plain file when neither is', async () => {
		const gz = await get('/app.js', 'gzip, br;q=0');
		expect(gz.headers['content-encoding']).toBe('gzip');
		expect(gunzipSync(gz.body).toString()).toBe(script);
		const plain = await get('/app.js');
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(plain.body.toString()).toBe(script);
	});

	it('compresses the HTML fallback of a client-side route, keeping its CSP', async () => {
		const { headers, body } = await get('/building/cp1-b1', 'br');
		expect(headers['content-encoding']).toBe('br');
		expect(headers['content-security-policy']).toContain("script-src 'self'");
		expect(brotliDecompressSync(body).toString()).toContain('网格通');
	});

	it('leaves images as they are', async () => {
		const { headers, body } = await get('/icon.png', 'br, gzip');
		expect(headers['content-encoding']).toBeUndefined();
		expect(body.equals(png)).toBe(true);
	});

	it('answers HEAD with the compressed length and no body', async () => {
		const { headers, body } = await get('/app.js', 'br', 'HEAD');
		expect(headers['content-encoding']).toBe('br');
		expect(Number(headers['content-length'])).toBeGreaterThan(0);
		expect(body.length).toBe(0);
	});

	it('serves a changed file, not the old compressed copy', async () => {
		const next = script.replace('门0', '楼0');
		writeFileSync(join(root, 'app.js'), next);
		const later = new Date(Date.now() + 5_000);
		utimesSync(join(root, 'app.js'), later, later);
		expect(brotliDecompressSync((await get('/app.js', 'br')).body).toString()).toBe(next);
	});
});

describe('chooseEncoding', () => {
	it.each([
		['gzip, deflate, br', 'br'],
		['gzip', 'gzip'],
		['br;q=0, gzip;q=0.5', 'gzip'],
		['identity', null],
		[undefined, null],
		['BR', 'br'],
		['gzip;q=0', null]
	])('%s → %s', (header, expected) => {
		expect(chooseEncoding(header)).toBe(expected);
	});
});
