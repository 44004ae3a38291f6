/**
 * Security headers on every response, and a Content-Security-Policy on the app's HTML that lets
 * in exactly its own inline bootstrap script (by hash) and nothing inline besides.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app';

const BOOT = 'import("/_app/start.js").then((kit) => kit.start());';
const dir = mkdtempSync(join(tmpdir(), 'gridwalk-headers-'));
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
	writeFileSync(
		join(dir, 'index.html'),
		`<!doctype html><html><head><script src="/x.js"></script></head><body><script>${BOOT}</script></body></html>`
	);
	server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, staticDir: dir, demo: false });
});

afterAll(async () => {
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('security headers', () => {
	it.each(['/healthz', '/api/no-such-thing', '/', '/building/b1'])('%s: no sniffing, no referrer, never framed', async (path) => {
		const response = await fetch(`${server.url}${path}`);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('no-referrer');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
	});

	it("the app's HTML allows only its own scripts, plus the inline bootstrap by hash", async () => {
		const csp = (await fetch(`${server.url}/some/deep/link`)).headers.get('content-security-policy') ?? '';
		const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
		const bootHash = `'sha256-${createHash('sha256').update(BOOT).digest('base64')}'`;
		expect(directives.get('script-src')).toEqual(["'self'", bootHash]);
		expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
		expect(directives.get('object-src')).toEqual(["'none'"]);
		expect(csp).not.toContain('unsafe-eval');
		expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
	});

	it('errors are JSON with a code and no stack trace', async () => {
		const response = await fetch(`${server.url}/api/login`, { method: 'POST', body: '{not json' });
		const text = await response.text();
		expect(response.status).toBe(400);
		expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String) } });
		expect(text).not.toMatch(/at \S+ \(|\.ts:\d+|node:internal/);
	});
});
