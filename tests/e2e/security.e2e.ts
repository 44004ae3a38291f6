import { expect, test } from '@playwright/test';
import { GRID1_BUILDING, login, openBuilding, recordVisit } from './app';

test('the app works under its Content-Security-Policy, which blocks injected inline scripts', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
	});
	page.on('pageerror', (error) => violations.push(error.message));

	await login(page, 'worker1');
	await openBuilding(page, GRID1_BUILDING);
	await recordVisit(page, 'cp1-b1-1-101', '电话联系');
	await page.goto('/door/cp1-b1-1-101');
	await expect(page.getByRole('heading', { name: '住户情况' })).toBeVisible();
	await page.goto('/search');
	await page.getByRole('searchbox').pressSequentially('wang', { delay: 30 });
	await expect(page.getByText(/找到 \d+ 人/)).toBeVisible({ timeout: 30_000 });
	await page.goto('/needs');
	await expect(page.getByRole('heading', { name: /需求台账/ })).toBeVisible();

	expect(violations).toEqual([]);

	// An inline script slipped into the page is refused, and the refusal is reported.
	const injected = await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'window.__injected = true;';
		document.body.append(script);
		return (window as unknown as { __injected?: boolean }).__injected ?? false;
	});
	expect(injected).toBe(false);
	await expect.poll(() => violations.length).toBe(1);
	expect(violations[0]).toContain('Content Security Policy');
});
