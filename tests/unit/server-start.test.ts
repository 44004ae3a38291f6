/**
 * `startServer` in-process: seeds once, serves, and closes cleanly (tests and tools use it;
 * the sync tests run the real process instead).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app';

const dataDir = mkdtempSync(join(tmpdir(), 'gridwalk-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('startServer', () => {
	it('seeds an empty data directory once, and only then', async () => {
		const options = { host: '127.0.0.1', port: 0, dataDir, staticDir: dataDir, demo: { households: 100 } };
		const first = await startServer(options);
		try {
			expect(first.demo).toBe('created');
			expect(first.url).toBe(`http://127.0.0.1:${first.port}`);
			const health = await fetch(`${first.url}/healthz`);
			expect(await health.json()).toMatchObject({ ok: true });
		} finally {
			await first.close();
		}
		const second = await startServer(options);
		await second.close();
		expect(second.demo).toBe('existing');
	});

	it('seeds nothing in production', async () => {
		const emptyDir = mkdtempSync(join(tmpdir(), 'gridwalk-prod-'));
		try {
			const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: emptyDir, demo: false });
			await server.close();
			expect(server.demo).toBe('off');
			const login = await startServer({ host: '127.0.0.1', port: 0, dataDir: emptyDir, demo: false });
			const answer = await fetch(`${login.url}/api/login`, {
				method: 'POST',
				body: JSON.stringify({ username: 'coordinator', password: 'gridwalk' })
			});
			await login.close();
			expect(answer.status).toBe(401);
		} finally {
			rmSync(emptyDir, { recursive: true, force: true });
		}
	});
});
