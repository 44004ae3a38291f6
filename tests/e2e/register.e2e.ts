import { expect, test, type Page } from '@playwright/test';
import { login, signIn, syncIndicator } from './app';

/** A door of grid 1 in the e2e demo community, and its household. */
const DOOR = 'cp1-b2-1-301';

async function openFile(page: Page, doorId: string) {
	await page.goto(`/door/${doorId}`);
	await expect(page.getByRole('heading', { name: '住户情况' })).toBeVisible();
}

function memberDialog(page: Page) {
	return page.getByRole('dialog');
}

test('a worker surveys a household offline across a reload; the coordinator sees it after sync', async ({ browser }) => {
	const worker = await signIn(browser, 'worker1');
	const coordinator = await signIn(browser, 'coordinator');

	await worker.context.setOffline(true);
	await expect(syncIndicator(worker.page)).toContainText('离线');
	await openFile(worker.page, DOOR);

	// Occupancy and a flag are taps; each is saved at once.
	await worker.page.getByRole('button', { name: '出租' }).click();
	await expect(worker.page.getByRole('button', { name: '出租' })).toHaveAttribute('aria-pressed', 'true');
	await worker.page.getByRole('button', { name: '独居老人' }).click();
	await expect(worker.page.getByRole('button', { name: '独居老人' })).toHaveAttribute('aria-pressed', 'true');

	// A new member, validated as typed: a wrong check character is caught, the right one accepted.
	await worker.page.getByRole('button', { name: '+ 添加成员' }).click();
	const dialog = memberDialog(worker.page);
	await dialog.getByLabel('姓名').fill('曾秀兰');
	await dialog.getByLabel('与户主关系').selectOption('parent');
	await dialog.getByLabel('女').check();
	await dialog.getByLabel('出生日期或年份').fill('1949-12-31');
	await dialog.getByLabel('身份证号').fill('110105194912310021');
	await dialog.getByLabel('身份证号').blur();
	await expect(dialog.getByRole('alert')).toContainText('校验位不正确');

	// The tab is reloaded mid-form: what was typed comes back.
	await worker.page.reload();
	await worker.page.getByRole('button', { name: '+ 添加成员' }).click();
	await expect(dialog).toContainText('已恢复上次没保存的内容');
	await expect(dialog.getByLabel('姓名')).toHaveValue('曾秀兰');
	await expect(dialog.getByLabel('出生日期或年份')).toHaveValue('1949-12-31');
	await dialog.getByLabel('身份证号').fill('11010519491231002x');
	await dialog.getByLabel('手机号').fill('+86 138-0013-8000');
	await dialog.getByRole('button', { name: '卧床' }).click();
	await dialog.getByRole('button', { name: '保存' }).click();
	await expect(dialog).toBeHidden();

	const member = worker.page.locator('li[data-member]', { hasText: '曾秀兰' });
	await expect(member).toContainText('父母 · 女');
	await expect(member).toContainText('110***********002X');
	await expect(member).toContainText('13800138000');
	await expect(member).toContainText('卧床');
	await expect(syncIndicator(worker.page)).toContainText('条待同步');

	await worker.context.setOffline(false);
	await expect(syncIndicator(worker.page)).toContainText('已全部同步');

	await openFile(coordinator.page, DOOR);
	const seen = coordinator.page.locator('li[data-member]', { hasText: '曾秀兰' });
	await expect(seen).toContainText('110***********002X');
	await expect(coordinator.page.getByRole('button', { name: '出租' })).toHaveAttribute('aria-pressed', 'true');
	await expect(coordinator.page.getByRole('button', { name: '独居老人' })).toHaveAttribute('aria-pressed', 'true');
	// The full ID number is shown only on the member's own form.
	await expect(coordinator.page.getByText('11010519491231002X')).toHaveCount(0);
	await seen.getByRole('button', { name: '编辑' }).click();
	await expect(memberDialog(coordinator.page).getByLabel('身份证号')).toHaveValue('11010519491231002X');

	// On the door grid, the door carries the flags' marks.
	await coordinator.page.goto('/building/cp1-b2');
	await expect(coordinator.page.locator(`button[data-door="${DOOR}"]`)).toContainText('独');

	// Search finds the new member on the coordinator's device, after a start.
	await coordinator.page.goto('/search');
	await coordinator.page.getByRole('searchbox').pressSequentially('曾秀兰', { delay: 50 });
	await expect(coordinator.page.getByRole('link').filter({ hasText: '曾秀兰' }).filter({ hasText: '301室' })).toBeVisible({ timeout: 30_000 });
	await worker.context.close();
	await coordinator.context.close();
});

test('two offline edits of one phone number: the conflict is shown with both values, and resolved', async ({ browser }) => {
	const worker = await signIn(browser, 'worker1');
	const coordinator = await signIn(browser, 'coordinator');
	const door = 'cp1-b2-1-401';

	for (const [session, phone] of [
		[worker, '13911112222'],
		[coordinator, '13933334444']
	] as const) {
		await session.context.setOffline(true);
		await expect(syncIndicator(session.page)).toContainText('离线');
		await openFile(session.page, door);
		const input = session.page.getByLabel('联系电话');
		await input.fill(phone);
		await session.page.getByRole('button', { name: '保存' }).click();
		await expect(input).toHaveValue(phone);
	}

	await worker.context.setOffline(false);
	await coordinator.context.setOffline(false);
	for (const { page } of [worker, coordinator]) {
		await expect(syncIndicator(page)).toContainText('已全部同步');
		const conflicts = page.getByTestId('field-conflicts');
		await expect(conflicts).toContainText('联系电话');
		await expect(conflicts).toContainText('13911112222');
		await expect(conflicts).toContainText('13933334444');
		await expect(conflicts).toContainText('worker1');
		await expect(conflicts).toContainText('coordinator');
	}

	// The coordinator checks and picks the worker's number; both screens settle on it.
	await coordinator.page
		.getByTestId('field-conflicts')
		.locator('li', { hasText: '13911112222' })
		.getByRole('button', { name: '采用这个' })
		.click();
	for (const { page } of [worker, coordinator]) {
		await expect(page.getByTestId('field-conflicts')).toHaveCount(0);
		await expect(page.getByLabel('联系电话')).toHaveValue('13911112222');
	}
	await worker.context.close();
	await coordinator.context.close();
});

test('a need is recorded on a household, taken, and listed in the needs ledger by urgency', async ({ page }) => {
	await login(page, 'worker1');
	await openFile(page, 'cp1-b2-1-501');
	await page.getByRole('button', { name: '+ 登记需求' }).click();
	await page.getByLabel('需求类别').selectOption('medicine');
	await page.getByRole('button', { name: '紧急' }).click();
	await page.getByLabel('需求内容').fill('降压药快吃完了');
	// Reloaded before saving: the half-filled form comes back as it was.
	await page.reload();
	await expect(page.getByLabel('需求内容')).toHaveValue('降压药快吃完了');
	await expect(page.getByLabel('需求类别')).toHaveValue('medicine');
	await expect(page.getByRole('button', { name: '紧急' })).toHaveAttribute('aria-pressed', 'true');
	await page.getByRole('button', { name: '保存' }).click();
	const need = page.locator('article[data-need]', { hasText: '降压药快吃完了' });
	await expect(need).toContainText('配药 · 紧急');
	await expect(need).toContainText('待处理');
	await need.getByRole('button', { name: '接单处理' }).click();
	await expect(need).toContainText('处理中');
	await expect(need).toContainText('worker1 处理');
	await need.getByText('处理经过').click();
	await expect(need.locator('details li')).toHaveCount(2);
	await expect(need.locator('details li').first()).toContainText('worker1 登记');
	await expect(need.locator('details li').last()).toContainText('worker1：处理中');

	await page.goto('/needs');
	const listed = page.locator('article[data-need]', { hasText: '降压药快吃完了' });
	await expect(listed).toContainText('2号楼 1单元 501室');
	await listed.getByRole('button', { name: '标记已办结' }).click();
	await expect(listed).toBeHidden();
	await page.getByLabel('显示已办结').check();
	await expect(listed).toContainText('已办结');
});
