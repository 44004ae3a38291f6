import { expect, test } from '@playwright/test';
import { GRID1_BUILDING, GRID2_BUILDING, launchProfile, login, openBuilding } from './app';

test('a wrong password is refused in Chinese, the right one opens the worker home', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

	await page.getByLabel('用户名').fill('worker1');
	await page.getByLabel('密码').fill('wrong-password');
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByRole('alert')).toHaveText('用户名或密码不正确');

	await login(page, 'worker1');
	await expect(page.getByRole('heading', { name: '我的网格' })).toBeVisible();
	await expect(page.getByRole('heading', { name: '第1网格' })).toBeVisible();
	// Only the worker's own grid is on the device.
	await expect(page.locator(`a[data-building="${GRID1_BUILDING}"]`)).toBeVisible();
	await expect(page.locator(`a[data-building="${GRID2_BUILDING}"]`)).toHaveCount(0);
});

test('English can be chosen and is remembered after a reload', async ({ page }) => {
	await login(page, 'worker2');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'My grids' })).toBeVisible();
	await page.reload();
	await expect(page.getByRole('heading', { name: 'My grids' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByRole('button', { name: '中文' }).click();
	await expect(page.getByRole('heading', { name: '我的网格' })).toBeVisible();
});

test('a building shows its door grid, floors top to bottom, with a legend', async ({ page }) => {
	await login(page, 'worker1');
	await openBuilding(page, GRID1_BUILDING);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('1号楼');
	// Floors below the first screen get their doors a frame later: 6 floors × 2 doors.
	await expect(page.locator('button[data-door]')).toHaveCount(12);
	const labels = (await page.locator('button[data-door] .number').allTextContents()).map((t) => t.trim());
	expect(labels.slice(0, 2)).toEqual(['601', '602']);
	expect(labels.slice(-2)).toEqual(['101', '102']);
	// Flags of the demo household behind 602 (elderly living alone) are marked on the door.
	await expect(page.locator('button[data-door="cp1-b1-1-602"]')).toContainText('独');
	const legend = page.getByRole('region', { name: '图例' });
	for (const status of ['未走访', '已走访', '电话联系', '无人在家', '拒绝', '记录冲突']) {
		await expect(legend).toContainText(status);
	}
	await page.getByRole('tab', { name: '2单元' }).click();
	await expect(page.locator('button[data-door="cp1-b1-2-101"]')).toBeVisible();
});

test('a tall building shows its first screen of doors at once, the other floors right after, without the page changing height', async ({ page }) => {
	await login(page, 'coordinator');
	// 28 floors × 5 doors, the tallest of the 1,000-household demo; the coordinator holds it.
	const building = 'cp3-b3';
	await page.locator(`a[data-building="${building}"]`).waitFor();
	// Watched in the page, frame by frame, from the tap: the page's height in the first frame
	// with doors, and once every door is there.
	const seen = await page.evaluate(
		`new Promise((resolve) => {
			document.querySelector('a[data-building="${building}"]').click();
			let first;
			const check = () => {
				const doors = document.querySelectorAll('button[data-door]').length;
				if (doors > 0 && !first) first = { doors, height: document.documentElement.scrollHeight };
				if (doors === 140) resolve({ first, last: { doors, height: document.documentElement.scrollHeight } });
				else requestAnimationFrame(check);
			};
			requestAnimationFrame(check);
		})`
	);
	const { first, last } = seen as { first: { doors: number; height: number }; last: { doors: number; height: number } };
	expect(first.doors).toBeGreaterThan(0);
	expect(last.height).toBe(first.height);
	// The ground floor, far below the first screen, works like any other door.
	await page.locator(`button[data-door="${building}-1-101"]`).click();
	await expect(page.getByRole('dialog')).toContainText('101');
});

test('the app is installable as a PWA: manifest, icons, theme and a service worker', async ({ playwright, baseURL }, testInfo) => {
	const context = await launchProfile(playwright, testInfo.outputPath('profile'), baseURL);
	const page = context.pages()[0] ?? (await context.newPage());
	await page.goto('/login');
	await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 });
	const manifest = await (await page.request.get('/manifest.webmanifest')).json();
	expect(manifest).toMatchObject({ short_name: '网格通', lang: 'zh-CN', display: 'standalone', theme_color: '#0b5cad' });
	for (const icon of manifest.icons) expect((await page.request.get(icon.src)).status(), icon.src).toBe(200);
	const cdp = await page.context().newCDPSession(page);
	const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
	expect(installabilityErrors).toEqual([]);
	await context.close();
});
