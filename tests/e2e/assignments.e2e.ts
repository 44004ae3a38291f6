/**
 * The coordinator assigns buildings and people to grids. Building cp2-b9 (和平小区 9号楼, grid
 * g01) is moved, not cp1-b1 or cp1-b2, whose doors the other e2e files record visits on; nothing
 * is restored, as each run starts a fresh server.
 */
import { expect, test, type Page } from '@playwright/test';
import { door, login, openBuilding, recordVisit, signIn, syncIndicator } from './app';

const MOVED = 'cp2-b9';
const MOVED_PLACE = '和平小区 9号楼';
const MOVED_DOOR = 'cp2-b9-1-101';

const buildingLink = (page: Page, buildingId: string) => page.locator(`a[data-building="${buildingId}"]`);

test('a building moved to another grid takes its households and visits along; a worker given another grid has it after signing in again', async ({
	browser
}, testInfo) => {
	// A visit on the building before it moves, so there is a door status to move with it.
	const worker1 = await signIn(browser, 'worker1');
	await openBuilding(worker1.page, MOVED);
	await recordVisit(worker1.page, MOVED_DOOR, '已走访', '老两口都在家');
	await expect(syncIndicator(worker1.page)).toContainText('已全部同步');
	await worker1.page.goto('/');
	await expect(buildingLink(worker1.page, MOVED)).toBeVisible();

	// The coordinator's device has the visit, then moves the building.
	const coordinator = await signIn(browser, 'coordinator');
	await openBuilding(coordinator.page, MOVED);
	await expect(door(coordinator.page, MOVED_DOOR)).toHaveAttribute('data-status', 'done');
	await coordinator.page.goto('/assignments');
	await expect(coordinator.page.getByRole('heading', { level: 1, name: '网格分配' })).toBeVisible();

	const g01 = coordinator.page.locator('section[data-grid="g01"]');
	const g02 = coordinator.page.locator('section[data-grid="g02"]');
	await g01.getByLabel(`${MOVED_PLACE} 所属网格`).selectOption({ label: '第2网格' });
	const dialog = coordinator.page.getByRole('dialog', { name: '移动楼栋' });
	await expect(dialog).toContainText(`把 ${MOVED_PLACE} 从 第1网格 移到 第2网格？该楼的住户档案会一起移过去。`);
	// Cancelling leaves it where it was.
	await dialog.getByRole('button', { name: '取消' }).click();
	await expect(dialog).toBeHidden();
	await expect(g01.getByLabel(`${MOVED_PLACE} 所属网格`)).toHaveValue('g01');

	await g01.getByLabel(`${MOVED_PLACE} 所属网格`).selectOption({ label: '第2网格' });
	await dialog.getByRole('button', { name: '移过去' }).click();
	await expect(g02.locator(`[data-building-row="${MOVED}"]`)).toBeVisible();
	await expect(g01.locator(`[data-building-row="${MOVED}"]`)).toHaveCount(0);
	await expect(coordinator.page.getByText(`${MOVED_PLACE} 已移到 第2网格`)).toBeVisible();

	// worker1 (g01) no longer has it, also after a reload.
	await expect(buildingLink(worker1.page, MOVED)).toHaveCount(0);
	await worker1.page.reload();
	await expect(worker1.page.getByRole('heading', { name: '第1网格' })).toBeVisible();
	await expect(buildingLink(worker1.page, 'cp2-b8')).toBeVisible();
	await expect(buildingLink(worker1.page, MOVED)).toHaveCount(0);

	// worker2 (g02) has it, with its doors' statuses and households.
	const worker2 = await signIn(browser, 'worker2');
	await openBuilding(worker2.page, MOVED);
	await expect(door(worker2.page, MOVED_DOOR)).toHaveAttribute('data-status', 'done');
	await expect(door(worker2.page, 'cp2-b9-1-102')).toHaveAttribute('data-status', 'not_visited');
	await door(worker2.page, MOVED_DOOR).click();
	await expect(worker2.page.getByRole('dialog')).toContainText('老两口都在家');
	await worker2.page.getByRole('dialog').press('Escape');

	// People: everyone but coordinators, with their role in Chinese and their grids ticked.
	const people = coordinator.page.getByTestId('assign-people');
	await expect(people.locator('[data-person]')).toHaveCount(4);
	await expect(people.locator('[data-person="coordinator"]')).toHaveCount(0);
	await expect(people.locator('[data-person="tester1"]')).toContainText('检测员');
	await expect(people.locator('[data-person="volunteer1"]')).toContainText('志愿者');
	const row = people.locator('[data-person="worker2"]');
	await expect(row).toContainText('张网格员');
	await expect(row).toContainText('网格员');
	await expect(row.getByRole('checkbox', { name: '第2网格' })).toBeChecked();
	await expect(row.getByRole('checkbox', { name: '第1网格' })).not.toBeChecked();
	await expect(row.getByRole('button', { name: '保存' })).toBeDisabled();

	await row.getByRole('checkbox', { name: '第1网格' }).check();
	await expect(row).toContainText('未保存');
	await coordinator.page.screenshot({ path: testInfo.outputPath('assignments.png'), fullPage: true });
	await row.getByRole('button', { name: '保存' }).click();
	await expect(coordinator.page.getByText('已保存 张网格员 的网格，对方下次联网打开应用时生效')).toBeVisible();
	await expect(row.getByRole('button', { name: '保存' })).toBeDisabled();
	await expect(row).not.toContainText('未保存');

	// worker2 signs in again: g01 is there, next to g02.
	await worker2.page.goto('/');
	await expect(worker2.page.getByRole('heading', { name: '第1网格' })).toHaveCount(0);
	await worker2.page.getByRole('button', { name: '退出登录' }).click();
	await worker2.page.getByRole('dialog', { name: '退出登录？' }).getByRole('button', { name: '退出', exact: true }).click();
	await expect(worker2.page).toHaveURL(/\/login$/);
	await login(worker2.page, 'worker2');
	await expect(worker2.page.getByRole('heading', { name: '第1网格' })).toBeVisible();
	await expect(worker2.page.getByRole('heading', { name: '第2网格' })).toBeVisible();
	await expect(buildingLink(worker2.page, 'cp1-b3')).toBeVisible();

	for (const { context } of [worker1, coordinator, worker2]) await context.close();
});

test('one unit moved to another grid: its worker sees its doors, the building’s grid no longer does', async ({ browser }) => {
	const BUILDING = 'cp2-b8';
	const PLACE = '和平小区 8号楼';
	const UNIT2_DOOR = 'cp2-b8-2-101';
	const worker1 = await signIn(browser, 'worker1');
	await openBuilding(worker1.page, BUILDING);
	await worker1.page.getByRole('tab', { name: '2单元' }).click();
	await expect(door(worker1.page, UNIT2_DOOR)).toBeVisible();

	const coordinator = await signIn(browser, 'coordinator');
	await coordinator.page.goto('/assignments');
	const g01 = coordinator.page.locator('section[data-grid="g01"]');
	const g02 = coordinator.page.locator('section[data-grid="g02"]');
	const unitSelect = g01.getByLabel(`${PLACE} 2单元 所属网格`);
	await expect(unitSelect).toHaveValue('g01');
	await unitSelect.selectOption({ label: '第2网格' });
	const dialog = coordinator.page.getByRole('dialog', { name: '移动单元' });
	await expect(dialog).toContainText(`把 ${PLACE} 2单元 从 第1网格 移到 第2网格？该单元的住户档案会一起移过去。`);
	await dialog.getByRole('button', { name: '移过去' }).click();
	await expect(coordinator.page.getByText(`${PLACE} 2单元 已移到 第2网格`)).toBeVisible();
	await expect(unitSelect).toHaveValue('g02');
	await expect(g02.locator(`[data-extra-unit-row="${BUILDING}:2"]`)).toBeVisible();
	// The building itself stays g01's.
	await expect(g01.locator(`[data-building-row="${BUILDING}"]`)).toBeVisible();
	await expect(syncIndicator(coordinator.page)).toContainText('已全部同步');

	// worker2 reaches the unit, as g02's (the test above gave worker2 g01 as well, so the unit's
	// heading names the grid that holds it).
	const worker2 = await signIn(browser, 'worker2');
	await worker2.page.goto(`/building/${BUILDING}?unit=2`);
	await expect(door(worker2.page, UNIT2_DOOR)).toBeVisible();
	await expect(worker2.page.getByRole('heading', { level: 1 })).toContainText('第2网格');
	await expect(worker2.page.getByText(/^只读/)).toHaveCount(0);

	// worker1 (g01) keeps the building but not that unit, also after a reload.
	await expect(door(worker1.page, UNIT2_DOOR)).toHaveCount(0);
	await expect(worker1.page.getByTestId('unit-elsewhere')).toContainText('2单元不在你的网格里');
	await worker1.page.reload();
	await worker1.page.getByRole('tab', { name: '2单元' }).click();
	await expect(worker1.page.getByTestId('unit-elsewhere')).toBeVisible();
	await expect(door(worker1.page, UNIT2_DOOR)).toHaveCount(0);
	await worker1.page.getByRole('tab', { name: '1单元' }).click();
	await expect(door(worker1.page, 'cp2-b8-1-101')).toBeVisible();

	for (const { context } of [worker1, coordinator, worker2]) await context.close();
});

test('only a coordinator can assign: others see why', async ({ page }) => {
	await login(page, 'worker1');
	await page.goto('/assignments');
	await expect(page.getByTestId('assign-no-access')).toHaveText('只有社区书记可以分配楼栋和人员。');
});
