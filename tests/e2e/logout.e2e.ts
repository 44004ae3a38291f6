import { expect, test, type Page } from '@playwright/test';
import { GRID1_BUILDING, databaseNames, door, login, openBuilding, recordVisit, syncIndicator, waitForServiceWorker } from './app';

test("signing out wipes the account's data from the device, after a warning when some is unsynced", async ({
	page,
	context
}) => {
	await login(page, 'worker1');
	await waitForServiceWorker(page);
	await expect(syncIndicator(page)).toContainText('在线');
	expect((await databaseNames(page)).filter((n) => n.startsWith('gridwalk:worker1:'))).toHaveLength(2);

	await context.setOffline(true);
	await openBuilding(page, GRID1_BUILDING);
	// A note half typed on another door: its draft is kept on the device until sign-out.
	await door(page, 'cp1-b1-1-202').click();
	await page.getByRole('dialog').getByLabel('备注').fill('门口放着快递');
	await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
	await recordVisit(page, 'cp1-b1-1-201', '拒绝');
	await expect(syncIndicator(page)).toContainText('1 条待同步');

	await page.getByRole('button', { name: '退出登录' }).click();
	const dialog = page.getByRole('dialog', { name: '退出登录？' });
	await expect(dialog.getByRole('alert')).toContainText('还有 1 条记录没有同步');
	await dialog.getByRole('button', { name: '取消' }).click();
	await expect(dialog).toBeHidden();
	expect(await draftsInLocalStorage(page)).toEqual([expect.stringContaining('门口放着快递')]);

	await context.setOffline(false);
	await expect(syncIndicator(page)).toContainText('已全部同步');
	await page.getByRole('button', { name: '退出登录' }).click();
	await expect(dialog.getByRole('alert')).toHaveCount(0);
	await dialog.getByRole('button', { name: '退出', exact: true }).click();
	await expect(page).toHaveURL(/\/login$/);

	const left = await databaseNames(page);
	expect(left.filter((n) => n.startsWith('gridwalk:'))).toEqual([]);
	const dexieRows = await page.evaluate(
		() =>
			new Promise<number>((resolve) => {
				const request = indexedDB.open('gridwalk');
				request.onsuccess = () => {
					const db = request.result;
					const stores = [...db.objectStoreNames];
					if (stores.length === 0) return resolve(0);
					const tx = db.transaction(stores, 'readonly');
					let total = 0;
					let pending = stores.length;
					for (const s of stores) {
						const count = tx.objectStore(s).count();
						count.onsuccess = () => {
							total += count.result;
							if (--pending === 0) resolve(total);
						};
					}
				};
			})
	);
	expect(dexieRows).toBe(0);
	expect(await draftsInLocalStorage(page)).toEqual([]);

	// Nothing of the account is shown after a reload either.
	await page.goto('/');
	await expect(page).toHaveURL(/\/login$/);
});

/** Whatever drafts localStorage holds, as stored. */
function draftsInLocalStorage(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		Object.keys(localStorage)
			.filter((key) => key.startsWith('gridwalk.draft:'))
			.map((key) => localStorage.getItem(key) ?? '')
	);
}
