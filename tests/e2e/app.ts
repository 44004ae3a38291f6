/**
 * Page models and helpers for the e2e tests: what a user does, in the words on the screen.
 */
import { expect, type Browser, type BrowserContext, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

/**
 * A browser with a profile on disk, as a phone's browser is: it can be closed and reopened with
 * its data, and (unlike an incognito context) it can install the app.
 */
export function launchProfile(
	playwright: PlaywrightWorkerArgs['playwright'],
	profileDir: string,
	baseURL: string | undefined,
	offline = false
): Promise<BrowserContext> {
	return playwright.chromium.launchPersistentContext(profileDir, {
		executablePath: CHROMIUM_PATH,
		args: CHROMIUM_ARGS,
		baseURL,
		offline,
		viewport: { width: 390, height: 844 }
	});
}

export const PASSWORD = 'gridwalk';

/** Buildings and doors of the 1,000-household demo community the e2e server seeds. */
export const GRID1_BUILDING = 'cp1-b1';
export const GRID2_BUILDING = 'cp2-b10';

export async function login(page: Page, username: string, password = PASSWORD): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('你好');
}

/** The service worker must control the page before going offline, or an offline reload fails. */
export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 });
}

export function syncIndicator(page: Page) {
	return page.getByTestId('sync-indicator');
}

export async function goOffline(context: BrowserContext, page: Page): Promise<void> {
	await context.setOffline(true);
	await expect(syncIndicator(page)).toContainText('离线');
}

export async function openBuilding(page: Page, buildingId: string): Promise<void> {
	await page.locator(`a[data-building="${buildingId}"]`).click();
	await expect(page.locator('button[data-door]').first()).toBeVisible();
}

export function door(page: Page, doorId: string) {
	return page.locator(`button[data-door="${doorId}"]`);
}

/** Opens a door, picks an outcome by its label, adds a note and saves. */
export async function recordVisit(page: Page, doorId: string, outcome: string, note = ''): Promise<void> {
	await door(page, doorId).click();
	const sheet = page.getByRole('dialog');
	await sheet.getByRole('radio', { name: outcome }).check();
	if (note) await sheet.getByLabel('备注').fill(note);
	await sheet.getByRole('button', { name: '保存' }).click();
	await expect(sheet).toBeHidden();
}

/** Names of this origin's IndexedDB databases. */
export async function databaseNames(page: Page): Promise<string[]> {
	return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

/** A second person on another device: a fresh browser context, signed in, online and synced. */
export async function signIn(browser: Browser, username: string): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page, username);
	await waitForServiceWorker(page);
	await expect(syncIndicator(page)).toContainText('在线');
	return { context, page };
}
