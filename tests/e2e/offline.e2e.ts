import { expect, test } from '@playwright/test';
import { GRID1_BUILDING, door, launchProfile, login, openBuilding, recordVisit, syncIndicator, waitForServiceWorker } from './app';

test('offline: reload, and close and reopen the browser; the worker stays in and records a visit', async ({
	playwright,
	baseURL
}, testInfo) => {
	const profile = testInfo.outputPath('profile');
	const launch = (offline: boolean) => launchProfile(playwright, profile, baseURL, offline);

	let context = await launch(false);
	let page = context.pages()[0] ?? (await context.newPage());
	await login(page, 'worker1');
	await waitForServiceWorker(page);
	await expect(syncIndicator(page)).toContainText('在线');

	// A file the precache does not hold still comes from the network (the worker's static route falls back).
	expect(await page.evaluate(() => fetch('/_app/immutable/chunks/not-built.js').then((response) => response.status))).toBe(404);

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: '第1网格' })).toBeVisible();
	await expect(syncIndicator(page)).toContainText('离线');
	// The app's files came straight from the precache (the worker's static route), not through its script.
	const served = await page.evaluate(() =>
		performance
			.getEntriesByType('resource')
			.filter((entry) => new URL(entry.name).pathname.startsWith('/_app/immutable/'))
			.map((entry) => (entry as PerformanceResourceTiming & { workerMatchedSourceType?: string }).workerMatchedSourceType)
	);
	expect(served.length).toBeGreaterThan(5);
	expect(new Set(served)).toEqual(new Set(['cache']));

	await context.close();
	context = await launch(true);
	page = context.pages()[0] ?? (await context.newPage());
	await page.goto('/');
	await expect(page.getByRole('heading', { name: '第1网格' })).toBeVisible();
	await openBuilding(page, GRID1_BUILDING);
	await expect(page.locator('button[data-door]')).toHaveCount(12);
	await page.getByRole('tab', { name: '3单元' }).click();

	await recordVisit(page, 'cp1-b1-3-601', '无人在家', '敲门无人应答');
	await expect(door(page, 'cp1-b1-3-601')).toHaveAttribute('data-status', 'nobody_home');
	await expect(syncIndicator(page)).toContainText('离线 · 1 条待同步');

	// Still there after another offline reload: it lives on the device.
	await page.reload();
	await page.getByRole('tab', { name: '3单元' }).click();
	await expect(door(page, 'cp1-b1-3-601')).toHaveAttribute('data-status', 'nobody_home');
	await expect(syncIndicator(page)).toContainText('1 条待同步');

	// The home screen's first frame already counts the visit: it shows the progress kept on the
	// device while the register is read again, and reading it changes nothing.
	await page.goto('/');
	const progress = () => document.querySelector('.grid-card header span')?.textContent;
	const firstFrame = await (await page.waitForFunction(progress, null, { polling: 'raf' })).jsonValue();
	expect(firstFrame).toContain('已走访');
	await page.waitForFunction(() => performance.getEntriesByName('gridwalk:documents-loaded').length > 0);
	expect(await page.evaluate(progress)).toBe(firstFrame);
	await context.close();
});
