import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { startServerProcess, tempDir } from '../sync/support/server-process';
const server = await startServerProcess({ env: { DEMO_HOUSEHOLDS: '10000' }, timeoutMs: 300_000 });
for (let run = 0; run < 2; run++) {
const profile = tempDir('prof-');
const context = await chromium.launchPersistentContext(profile.path, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, viewport: { width: 390, height: 844 } });
const page = context.pages()[0];
const cdp = await context.newCDPSession(page);
await page.goto(`${server.url}/login`);
await page.getByLabel('用户名').fill('coordinator');
await page.getByLabel('密码').fill('gridwalk');
await cdp.send('Network.enable');
const t0 = performance.now();
let last = 0, bytes = 0, frames = 0; const sockets = new Set<string>();
cdp.on('Network.webSocketCreated', (e) => sockets.add(e.url));
cdp.on('Network.webSocketFrameReceived', (e) => { frames++; bytes += Buffer.from(e.response.payloadData, 'base64').length; last = (performance.now() - t0) / 1000; });
await page.getByRole('button', { name: '登录' }).click();
await page.waitForFunction(() => { const bars = [...document.querySelectorAll('.grid-card progress')] as HTMLProgressElement[]; return bars.length === 20 && bars.reduce((n, b) => n + b.max, 0) > 10000; }, null, { polling: 50, timeout: 120000 });
console.log('dashboard', ((performance.now() - t0) / 1000).toFixed(2), 'last frame', last.toFixed(2), frames, (bytes/1e6).toFixed(2), [...sockets]);
const stored = () => page.evaluate(async () => { const out: Record<string, number> = {}; for (const d of await indexedDB.databases()) { if (!d.name!.startsWith('gridwalk:')) continue; out[d.name!.split(':').pop()!] = await new Promise<number>((resolve) => { const open = indexedDB.open(d.name!); open.onsuccess = () => { const db = open.result; if (!db.objectStoreNames.contains('updates')) return resolve((db.close(), -1)); const all = db.transaction('updates').objectStore('updates').getAll(); all.onsuccess = () => resolve((db.close(), (all.result as Uint8Array[]).reduce((n, u) => n + u.byteLength, 0))); }; }); } return out; });
console.log('stored at dashboard', JSON.stringify(await stored()));
await page.waitForTimeout(3000); console.log('after 3s', frames, (bytes/1e6).toFixed(2), JSON.stringify(await stored()));
await context.close(); profile.remove();
}
await server.stop();
