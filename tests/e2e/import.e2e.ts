/**
 * The coordinator imports households from a spreadsheet and exports the register. Fixture files
 * are written by the test into its output folder: a CSV as Excel on Chinese Windows saves it
 * (GBK is covered by the unit tests; here UTF-8 with a BOM) and an XLSX made with the same
 * library family the app reads.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import writeXlsxFile from 'write-excel-file/node';
import { readSheet } from 'read-excel-file/node';
import { checkChar } from '../../src/lib/domain/id-number';
import { generateCommunity } from '../../server/demo/demo-community';
import { login } from './app';

const HEADERS = ['小区', '楼栋', '单元', '门牌号', '姓名', '与户主关系', '性别', '出生日期', '联系电话', '身份证号', '户籍类型', '居住状态'];

/** A valid ID number (a region the demo community does not use, so no one is registered twice). */
function idNumber(birth: string, sex: 'male' | 'female'): string {
	const first17 = `330106${birth}${sex === 'male' ? '015' : '026'}`;
	return first17 + checkChar(first17);
}

function csv(rows: string[][]): string {
	return '\uFEFF' + rows.map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',')).join('\r\n') + '\r\n';
}

async function openImport(page: Page) {
	await login(page, 'coordinator');
	await page.goto('/import');
	await expect(page.getByRole('heading', { level: 1, name: '导入导出住户' })).toBeVisible();
	// A fresh sign-in: wait until the grids have arrived from the server.
	await expect(page.getByText(/本机上有 [1-9]\d* 个网格/)).toBeVisible({ timeout: 30_000 });
}

async function choose(page: Page, path: string) {
	await page.locator('input[type="file"]').setInputFiles(path);
}

test('a sheet with one bad row: its row number and reason are listed, nothing can be imported', async ({ page }, testInfo) => {
	const good = idNumber('19620315', 'male');
	const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
	const path = testInfo.outputPath('bad.csv');
	writeFileSync(
		path,
		csv([
			HEADERS,
			['秋实苑', '5号楼', '1单元', '301', '周建华', '户主', '男', '1962-03-15', '13912345678', good, '户籍', '自住'],
			['秋实苑', '5号楼', '1单元', '302', '吴丽', '户主', '女', '1970/1/2', '13812345678', wrongCheck, '常住', '出租'],
			['秋实苑', '5号楼', '1单元', '401', '郑强', '户主', '男', '1985', '', idNumber('19850101', 'male'), '暂住', '自住']
		])
	);
	await openImport(page);
	await choose(page, path);

	const errors = page.getByTestId('import-errors');
	await expect(errors).toContainText('有 1 处错误，没有导入任何数据');
	await expect(errors.getByRole('listitem')).toHaveText([`第 3 行 · 身份证号：校验位不正确（${wrongCheck}）`]);
	await expect(page.getByTestId('import-confirm')).toBeDisabled();
	await page.screenshot({ path: testInfo.outputPath('import-errors.png'), fullPage: true });

	await page.goto('/');
	await expect(page.getByRole('heading', { name: '全部网格' })).toBeVisible();
	await expect(page.getByRole('link', { name: /秋实苑/ })).toHaveCount(0);
});

test('a good sheet: the new building appears in the chosen grid, with its doors', async ({ page, browser }, testInfo) => {
	const path = testInfo.outputPath('good.xlsx');
	const rows = [
		HEADERS,
		['春晖苑', '3号楼', '1单元', '502', '王秀英', '户主', '女', '1949-12-31', '13800138000', idNumber('19491231', 'female'), '户籍', '自住'],
		['春晖苑', '3号楼', '1单元', '502', '李建国', '配偶', '男', '1948', '', idNumber('19480304', 'male'), '户籍', '自住'],
		['春晖苑', '3号楼', '1单元', '601', '张伟', '户主', '男', '', '13700137000', idNumber('19900101', 'male'), '暂住', '出租'],
		['春晖苑', '3号楼', '1单元', '101', '', '', '', '', '', '', '', '空置']
	];
	writeFileSync(path, await writeXlsxFile(rows).toBuffer());

	await openImport(page);
	await choose(page, path);
	await page.getByTestId('import-grid').selectOption({ label: '第2网格' });
	const preview = page.getByTestId('import-preview');
	await expect(preview).toContainText('春晖苑 3号楼 1单元 502室');
	await expect(preview).toContainText('王秀英 · 户主 · 女 · 1949-12-31');
	// ID numbers are masked in the preview
	await expect(preview).not.toContainText(idNumber('19491231', 'female'));
	const count = (label: string) => preview.locator('dl div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
	await expect(count('新楼栋')).toHaveText('1');
	await expect(count('门户')).toHaveText('3');
	await expect(count('住户')).toHaveText('3');
	await expect(count('人')).toHaveText('3');
	await page.screenshot({ path: testInfo.outputPath('import-preview.png'), fullPage: true });

	await page.getByTestId('import-confirm').click();
	await expect(page.getByTestId('import-done')).toContainText('已导入 3 户、3 人');

	await page.goto('/');
	const grid2 = page.locator('section.grid-card', { has: page.getByRole('heading', { name: '第2网格' }) });
	const link = grid2.getByRole('link', { name: /春晖苑 3号楼/ });
	await expect(link).toBeVisible();
	await expect(page.locator('section.grid-card', { has: page.getByRole('heading', { name: '第1网格' }) }).getByRole('link', { name: /春晖苑/ })).toHaveCount(0);
	const buildingId = await link.getAttribute('data-building');
	await link.click();
	// 6 floors of 2 doors, from the highest door number 601 and position 02
	await expect(page.locator('button[data-door]')).toHaveCount(12);
	await expect(page.locator(`button[data-door="${buildingId}-1-502"]`)).toBeVisible();
	await expect(page.locator(`button[data-door="${buildingId}-1-601"]`)).toBeVisible();
	await page.screenshot({ path: testInfo.outputPath('imported-building.png'), fullPage: true });

	// The data survives a reload (it is in the documents on the device, not only on screen).
	await page.reload();
	await expect(page.locator('button[data-door]')).toHaveCount(12);

	// and reached the server: the grid's worker, on another device, sees the building and its household.
	const other = await browser.newContext();
	const workerPage = await other.newPage();
	await login(workerPage, 'worker2');
	await workerPage.locator(`a[data-building="${buildingId}"]`).click();
	await expect(workerPage.locator(`button[data-door="${buildingId}-1-502"]`)).toBeVisible();
	await expect(workerPage.locator(`button[data-door="${buildingId}-1-502"]`)).toHaveAccessibleName(/502/);
	await workerPage.locator(`button[data-door="${buildingId}-1-502"]`).click();
	await expect(workerPage.getByRole('dialog')).toContainText('王秀英');
	await other.close();
});

test('the export downloads the register; the Excel and CSV files hold the same rows', async ({ page }, testInfo) => {
	await openImport(page);
	await expect(page.getByText('导出的文件里身份证号是完整的')).toBeVisible();
	// The export holds what is on the device: wait until the whole demo register has synced.
	const demo = generateCommunity({ households: 1000, communityId: 'c1' });
	const demoHouseholds = [...demo.households.values()].flat();
	const demoPeople = demoHouseholds.reduce((n, h) => n + h.members.length, 0);
	const scope = page.getByTestId('export-scope');
	await expect(async () => {
		const [, grids, households, people] = /(\d+) 个网格、(\d+) 户、(\d+) 人/.exec((await scope.textContent()) ?? '')!.map(Number);
		expect(grids).toBe(demo.grids.length);
		expect(households).toBeGreaterThanOrEqual(demoHouseholds.length);
		expect(people).toBeGreaterThanOrEqual(demoPeople);
	}).toPass({ timeout: 30_000 });

	const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
	expect(xlsxDownload.suggestedFilename()).toMatch(/^东风社区住户名册-\d{4}-\d{2}-\d{2}\.xlsx$/);
	const xlsxPath = testInfo.outputPath('export.xlsx');
	await xlsxDownload.saveAs(xlsxPath);
	const xlsxRows = (await readSheet(readFileSync(xlsxPath), { parseNumber: (digits: string) => digits })).map((row) =>
		row.map((cell) => (cell === null ? '' : String(cell)))
	);

	const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
	const csvPath = testInfo.outputPath('export.csv');
	await csvDownload.saveAs(csvPath);
	const bytes = readFileSync(csvPath);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const { parseCsv } = await import('../../src/lib/data/spreadsheet');
	const csvRows = (await parseCsv(bytes.toString('utf8').slice(1))).map((row) => row.map((cell) => cell.trim()));

	expect(xlsxRows[0]).toEqual(['网格', '小区', '楼栋', '单元', '楼层', '门牌号', '居住状态', '家庭电话', '姓名', '与户主关系', '性别', '出生日期', '联系电话', '身份证号', '户籍类型', '备注']);
	// one row per person, and one for each household without people
	const emptyHouseholds = demoHouseholds.filter((h) => h.members.length === 0).length;
	expect(xlsxRows.length - 1).toBeGreaterThanOrEqual(demoPeople + emptyHouseholds);
	expect(csvRows).toEqual(xlsxRows);
	// full ID numbers, as text
	const ids = xlsxRows.slice(1).map((row) => row[13]).filter(Boolean);
	expect(ids.length).toBeGreaterThan(500);
	for (const id of ids) expect(id).toMatch(/^\d{17}[\dX]$/);
});

test('other roles are told that import and export are for coordinators', async ({ page }) => {
	await login(page, 'worker1');
	await page.goto('/import');
	await expect(page.getByTestId('import-no-access')).toHaveText('只有社区书记可以导入和导出住户名册。');
	await expect(page.locator('input[type="file"]')).toHaveCount(0);
});
