import { expect, test } from '@playwright/test';
import { login } from './app';

test('the home draws its first screen of buildings, then the others; "back" and a reload return to a building far down', async ({ page }) => {
	// A short screen holds 14 links (26 in the 1,000-household demo).
	await page.setViewportSize({ width: 390, height: 300 });
	await login(page, 'coordinator');
	await expect(page.locator('.grid-card').first()).toBeVisible();
	// A fresh start with the community on the device: the links below the first screen come a frame later.
	await page.goto('/');
	await expect(page.locator('.grid-card').first()).toBeVisible();
	// Each grid card says how many buildings it lists: "18 栋楼".
	const counts = await page.locator('.grid-card header span').allTextContents();
	const total = counts.reduce((n, text) => n + Number(/(\d+) 栋楼/.exec(text)![1]), 0);
	expect(total).toBeGreaterThan(14);
	const links = page.locator('.buildings a');
	await expect(links).toHaveCount(total);

	// Not the last link: a position restored too far down would be clamped to it and still pass.
	const far = links.nth(total - 4);
	await far.scrollIntoViewIfNeeded();
	const building = await far.getAttribute('data-building');
	await far.click();
	await expect(page).toHaveURL(new RegExp(`/building/${building}$`));
	await page.goBack();
	await expect(far).toHaveAttribute('data-building', building!);
	await expect(far).toBeInViewport();

	await page.reload();
	await expect(links).toHaveCount(total);
	await expect(far).toBeInViewport();
});
