import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { GRID1_BUILDING, door, openBuilding, recordVisit, signIn, syncIndicator } from './app';

const DOORS = ['cp1-b1-1-601', 'cp1-b1-1-602'];

async function chooseFile(page: Page, path: string) {
	await page.getByLabel('选择记录文件').setInputFiles(path);
}

test('visits recorded offline on a phone reach the server through an exported file imported by the coordinator; another worker and a bad file change nothing', async ({
	browser
}, testInfo) => {
	const worker = await signIn(browser, 'worker1');
	await openBuilding(worker.page, GRID1_BUILDING);
	// Offline for good: the phone never reconnects (reload closes the open socket).
	await worker.context.setOffline(true);
	await expect(syncIndicator(worker.page)).toContainText('离线');
	await worker.page.reload();
	await recordVisit(worker.page, DOORS[0], '已走访', '导出测试');
	await recordVisit(worker.page, DOORS[1], '无人在家');
	await expect(syncIndicator(worker.page)).toContainText('2 条待同步');

	// The sync indicator leads to this device's page.
	await syncIndicator(worker.page).click();
	await expect(worker.page.getByRole('heading', { level: 1, name: '本机数据' })).toBeVisible();
	await expect(worker.page.getByTestId('device-pending')).toContainText('走访记录 2 条');
	await expect(worker.page.getByText(/已用 .*，浏览器允许约/)).toBeVisible();
	const [download] = await Promise.all([
		worker.page.waitForEvent('download'),
		worker.page.getByRole('button', { name: '导出到文件' }).click()
	]);
	await expect(worker.page.getByText('已导出 2 条记录到文件')).toBeVisible();
	expect(download.suggestedFilename()).toMatch(/^gridwalk-changes-worker1-.*\.json$/);
	const exported = testInfo.outputPath('changes.json');
	await download.saveAs(exported);
	await worker.context.close();

	// Another grid worker may not bring in someone else's records.
	const otherWorker = await signIn(browser, 'worker2');
	await otherWorker.page.getByRole('link', { name: '本机数据' }).click();
	await chooseFile(otherWorker.page, exported);
	await expect(otherWorker.page.getByRole('alert')).toContainText('这是其他人的记录文件');
	await expect(otherWorker.page.getByTestId('device-pending')).toContainText('没有待同步的记录');
	await otherWorker.context.close();

	const coordinator = await signIn(browser, 'coordinator');
	const page = coordinator.page;
	await page.getByRole('link', { name: '本机数据' }).click();
	await expect(page.getByTestId('device-pending')).toContainText('没有待同步的记录');

	// A file altered after export is refused, and nothing is merged.
	const file = JSON.parse(readFileSync(exported, 'utf8'));
	expect(file.documents).toEqual([expect.objectContaining({ name: 'c1/register/g01', events: 2 })]);
	const update: string = file.documents[0].update;
	const middle = Math.floor(update.length / 2);
	file.documents[0].update = update.slice(0, middle) + (update[middle] === 'A' ? 'B' : 'A') + update.slice(middle + 1);
	const tampered = testInfo.outputPath('tampered.json');
	writeFileSync(tampered, JSON.stringify(file));
	await chooseFile(page, tampered);
	await expect(page.getByRole('alert')).toContainText('记录文件已损坏或被改动过');
	const notOurs = testInfo.outputPath('not-ours.json');
	writeFileSync(notOurs, JSON.stringify({ hello: 'world' }));
	await chooseFile(page, notOurs);
	await expect(page.getByRole('alert')).toContainText('这不是网格通导出的记录文件');
	await expect(page.getByTestId('device-pending')).toContainText('没有待同步的记录');
	await expect(syncIndicator(page)).toContainText('已全部同步');

	// The real file merges, and syncs.
	await chooseFile(page, exported);
	await expect(page.getByText('已导入 2 条新记录')).toBeVisible();
	await expect(syncIndicator(page)).toContainText('已全部同步');
	await expect(page.getByTestId('device-pending')).toContainText('没有待同步的记录');

	// Someone else, on another device, sees the visits: they are on the server.
	const tester = await signIn(browser, 'tester1');
	await openBuilding(tester.page, GRID1_BUILDING);
	await expect(door(tester.page, DOORS[0])).toHaveAttribute('data-status', 'done');
	await expect(door(tester.page, DOORS[1])).toHaveAttribute('data-status', 'nobody_home');
	await door(tester.page, DOORS[0]).click();
	await expect(tester.page.getByRole('dialog')).toContainText('导出测试');
	await coordinator.context.close();
	await tester.context.close();
});
