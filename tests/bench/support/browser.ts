/**
 * Debian's Chromium as the benchmarks drive it: a phone-sized window on a profile on disk (real
 * IndexedDB, as a phone has), and the figures read through DevTools.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium';

/** The phone both drivers emulate (Playwright's and the bare socket's), so their figures compare. */
export const PHONE = { width: 390, height: 844, locale: 'zh-CN' };

export function launchBrowser(profileDir: string, options: { offline?: boolean; args?: string[] } = {}): Promise<BrowserContext> {
	return chromium.launchPersistentContext(profileDir, {
		executablePath: CHROMIUM_PATH,
		args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
		viewport: { width: PHONE.width, height: PHONE.height },
		locale: PHONE.locale,
		offline: options.offline ?? false
	});
}

/** The page's JS heap in bytes, after a forced garbage collection (through either DevTools driver). */
export async function heapAfterGc(devtools: { send(method: 'HeapProfiler.collectGarbage' | 'Runtime.getHeapUsage'): Promise<unknown> }): Promise<number> {
	await devtools.send('HeapProfiler.collectGarbage');
	const { usedSize } = (await devtools.send('Runtime.getHeapUsage')) as { usedSize: number };
	return usedSize;
}

/** "Chromium 156.0… built on Debian…", for the results. */
export function chromiumVersion(): string {
	return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}
