import { expect, test, type Browser } from '@playwright/test';
import { GRID1_BUILDING, door, openBuilding, recordVisit, signIn, syncIndicator } from './app';

async function signedIn(browser: Browser, username: string) {
	const session = await signIn(browser, username);
	await openBuilding(session.page, GRID1_BUILDING);
	return session;
}

test("a visit recorded offline reaches the coordinator's screen after reconnecting, with no click", async ({ browser }) => {
	const worker = await signedIn(browser, 'worker1');
	const coordinator = await signedIn(browser, 'coordinator');
	const doorId = 'cp1-b1-1-502';
	await expect(door(coordinator.page, doorId)).toHaveAttribute('data-status', 'not_visited');

	await worker.context.setOffline(true);
	await expect(syncIndicator(worker.page)).toContainText('离线');
	await worker.page.reload();
	await recordVisit(worker.page, doorId, '已走访', '两位老人，身体都好');
	await expect(syncIndicator(worker.page)).toContainText('1 条待同步');
	await expect(door(coordinator.page, doorId)).toHaveAttribute('data-status', 'not_visited');

	await worker.context.setOffline(false);
	await expect(syncIndicator(worker.page)).toContainText('已全部同步');
	await expect(door(coordinator.page, doorId)).toHaveAttribute('data-status', 'done');
	// The colour changes too (with the ✓ symbol), not just an attribute.
	await expect(door(coordinator.page, doorId)).toHaveCSS('background-color', 'rgb(220, 252, 231)');
	await expect(door(coordinator.page, doorId)).toContainText('✓');

	await door(coordinator.page, doorId).click();
	await expect(coordinator.page.getByRole('dialog')).toContainText('两位老人，身体都好');
	await worker.context.close();
	await coordinator.context.close();
});

test('two people who changed the same door offline both keep their record; the door shows the conflict', async ({
	browser
}) => {
	const worker = await signedIn(browser, 'worker1');
	const coordinator = await signedIn(browser, 'coordinator');
	const doorId = 'cp1-b1-1-302';

	await worker.context.setOffline(true);
	await coordinator.context.setOffline(true);
	await expect(syncIndicator(worker.page)).toContainText('离线');
	await expect(syncIndicator(coordinator.page)).toContainText('离线');
	await recordVisit(worker.page, doorId, '无人在家');
	await recordVisit(coordinator.page, doorId, '电话联系', '电话里说全家在外地');

	await worker.context.setOffline(false);
	await coordinator.context.setOffline(false);
	for (const { page } of [worker, coordinator]) {
		await expect(syncIndicator(page)).toContainText('已全部同步');
		// Derived status: reaching them by phone outranks nobody home; the conflict is marked.
		await expect(door(page, doorId)).toHaveAttribute('data-status', 'by_phone');
		await expect(door(page, doorId)).toHaveClass(/conflict/);
	}

	await door(worker.page, doorId).click();
	const conflict = worker.page.getByTestId('visit-conflict');
	await expect(conflict).toContainText('无人在家');
	await expect(conflict).toContainText('电话联系');
	await expect(conflict).toContainText('worker1');
	await expect(conflict).toContainText('coordinator');

	// A new visit that has seen both settles it, everywhere.
	await worker.page.getByRole('dialog').getByRole('radio', { name: '已走访' }).check();
	await worker.page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
	await expect(door(coordinator.page, doorId)).toHaveAttribute('data-status', 'done');
	await expect(door(coordinator.page, doorId)).not.toHaveClass(/conflict/);
	await worker.context.close();
	await coordinator.context.close();
});
