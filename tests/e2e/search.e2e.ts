import { expect, test } from '@playwright/test';
import { login } from './app';

test('a resident found by name opens their door; ID numbers stay masked in results', async ({ page }) => {
	await login(page, 'worker1');
	await page.goto('/door/cp1-b1-2-302');
	const first = page.locator('li[data-member] strong').first();
	await expect(first).not.toBeEmpty();
	const name = (await first.textContent())!.trim();

	await page.goto('/search');
	const box = page.getByRole('searchbox');
	await box.pressSequentially(name, { delay: 50 });
	const result = page.getByRole('link').filter({ hasText: name }).filter({ hasText: '302室' }).first();
	await expect(result).toBeVisible({ timeout: 30_000 });
	await expect(result).toContainText(/\d{3}\*+\d{3}[\dX]/);
	await expect(result).not.toContainText(/\d{17}[\dX]/);

	await result.click();
	await expect(page).toHaveURL(/\/building\/cp1-b1\?door=cp1-b1-2-302/);
	await expect(page.getByRole('dialog')).toContainText('2单元 302室');
	await expect(page.getByRole('tab', { name: '2单元' })).toHaveAttribute('aria-selected', 'true');
});

test('a long result list shows whole once typed, and "back" from a result far down returns to it', async ({ page }) => {
	await login(page, 'worker1');
	await page.goto('/search');
	await page.getByRole('searchbox').pressSequentially('w', { delay: 50 });
	// The results on screen come first, the others a frame later: all 50 are there.
	const results = page.locator('.results li');
	await expect(results).toHaveCount(50, { timeout: 30_000 });

	const far = results.nth(39).getByRole('link');
	await far.scrollIntoViewIfNeeded();
	const resident = await far.getAttribute('data-resident');
	await far.click();
	await expect(page).toHaveURL(/\/building\//);
	await page.goBack();
	await expect(page.getByRole('searchbox')).toHaveValue('w');
	await expect(page.locator(`[data-resident="${resident}"]`)).toBeInViewport();
});
