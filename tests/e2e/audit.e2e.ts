import { expect, test, type Page } from '@playwright/test';
import { signIn, syncIndicator } from './app';

/** A door of grid 1 no other e2e test touches. */
const DOOR = 'cp1-b2-1-502';
const ID = '11010519491231002X';

async function openFile(page: Page) {
	await page.goto(`/door/${DOOR}`);
	await expect(page.getByRole('heading', { name: '住户情况' })).toBeVisible();
}

function changeHistory(page: Page) {
	return page.getByTestId('change-history');
}

/** Today as the history writes it, from the browser's own clock. */
function today(page: Page): Promise<string> {
	return page.evaluate(() => {
		const d = new Date();
		return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
	});
}

test("a worker's changes, online and offline, are in the coordinator's change history with name and time, ID numbers masked", async ({
	browser
}) => {
	const worker = await signIn(browser, 'worker1');
	const coordinator = await signIn(browser, 'coordinator');

	// Online: the notes.
	await openFile(worker.page);
	await worker.page.getByRole('region', { name: '住户情况' }).getByLabel('备注').fill('老人独居，子女在外地');
	await worker.page.getByRole('button', { name: '保存' }).click();
	await expect(changeHistory(worker.page)).toContainText('备注: 老人独居，子女在外地');

	// Offline: a new member with an ID number, then the notes again.
	await worker.context.setOffline(true);
	await expect(syncIndicator(worker.page)).toContainText('离线');
	await worker.page.getByRole('button', { name: '+ 添加成员' }).click();
	const dialog = worker.page.getByRole('dialog');
	await dialog.getByLabel('姓名').fill('曾秀兰');
	await dialog.getByLabel('与户主关系').selectOption('head');
	await dialog.getByLabel('女').check();
	await dialog.getByLabel('出生日期或年份').fill('1949-12-31');
	await dialog.getByLabel('身份证号').fill(ID);
	await dialog.getByRole('button', { name: '保存' }).click();
	await expect(dialog).toBeHidden();
	await worker.page.getByRole('region', { name: '住户情况' }).getByLabel('备注').fill(`已核对身份证 ${ID}`);
	await worker.page.getByRole('button', { name: '保存' }).click();
	await expect(changeHistory(worker.page)).toContainText('曾秀兰的身份证号: 110***********002X');
	await worker.context.setOffline(false);
	await expect(syncIndicator(worker.page)).toContainText('已全部同步');

	await openFile(coordinator.page);
	const history = changeHistory(coordinator.page);
	const date = await today(coordinator.page);
	const notesChange = history.getByRole('listitem').filter({ hasText: '备注: 老人独居，子女在外地 → 已核对身份证' });
	await expect(notesChange).toContainText('备注: 老人独居，子女在外地 → 已核对身份证 110***********002X');
	await expect(notesChange).toContainText(`李网格员（worker1） · ${date} `);
	await expect(notesChange.locator('time')).toHaveText(new RegExp(`^${date} \\d\\d:\\d\\d$`));
	const idChange = history.getByRole('listitem').filter({ hasText: '曾秀兰的身份证号' });
	await expect(idChange).toContainText('110***********002X');
	await expect(idChange).toContainText('李网格员（worker1）');
	// Nowhere on the page is the number shown in full.
	await expect(coordinator.page.locator('body')).not.toContainText(ID);

	await worker.context.close();
	await coordinator.context.close();
});
