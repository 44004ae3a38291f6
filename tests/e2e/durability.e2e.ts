/**
 * A tab killed while a form is being typed in: after reopening, every character typed is there.
 *
 * The browser runs on a profile on disk, as on a phone. Each round types into one of the three
 * forms that keep drafts (household notes, the member form, a door's visit note) and kills the
 * page right after the last keystroke: either its renderer (CDP `Page.crash`, as when the system
 * reclaims a background tab) or the whole browser (SIGKILL, as when the phone kills the app).
 * Then the form is opened again and must hold exactly what was typed.
 *
 * DURABILITY_ROUNDS sets the number of rounds (default 12; half of them of each kind).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { GRID1_BUILDING, PASSWORD, syncIndicator, waitForServiceWorker } from './app';

const ROUNDS = Number(process.env.DURABILITY_ROUNDS ?? 12);

type Form = 'notes' | 'member' | 'visit';
type Kill = 'crash' | 'sigkill';
const FORMS: Form[] = ['notes', 'member', 'visit'];

/** Chromium started by hand (Playwright's own launch hides the browser's process id). */
interface RunningBrowser {
	process: ChildProcess;
	browser: Browser;
	page: Page;
}

async function startBrowser(profileDir: string): Promise<RunningBrowser> {
	const child = spawn(
		CHROMIUM_PATH,
		[...CHROMIUM_ARGS, '--headless', '--lang=zh-CN', `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank'],
		{ detached: true, stdio: ['ignore', 'ignore', 'pipe'] }
	);
	const endpoint = await new Promise<string>((resolve, reject) => {
		let output = '';
		child.stderr!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const found = /DevTools listening on (ws:\/\/\S+)/.exec(output);
			if (found) resolve(found[1]);
		});
		child.once('exit', (code) => reject(new Error(`chromium exited (${code}): ${output}`)));
	});
	const browser = await chromium.connectOverCDP(endpoint);
	const context = browser.contexts()[0];
	const page = context.pages()[0] ?? (await context.newPage());
	await page.setViewportSize({ width: 390, height: 844 });
	return { process: child, browser, page };
}

/** Kills the browser and every process it started, with no chance to write anything. */
async function killBrowser(running: RunningBrowser): Promise<void> {
	if (running.process.exitCode !== null || running.process.signalCode !== null) return;
	const exited = new Promise((resolve) => running.process.once('exit', resolve));
	process.kill(-running.process.pid!, 'SIGKILL');
	await exited;
}

/** Crashes the page's renderer process, leaving the browser up, and opens a fresh tab. */
async function crashTab(running: RunningBrowser): Promise<void> {
	const { page } = running;
	const crashed = page.waitForEvent('crash');
	const cdp = await page.context().newCDPSession(page);
	void cdp.send('Page.crash').catch(() => undefined);
	await crashed;
	running.page = await page.context().newPage();
	await running.page.setViewportSize({ width: 390, height: 844 });
}

/** Opens the form and focuses the field a round types into; returns that field. */
async function openForm(page: Page, baseURL: string, form: Form, doorId: string) {
	if (form === 'visit') {
		await page.goto(`${baseURL}/building/${GRID1_BUILDING}`);
		await page.locator(`button[data-door="${doorId}"]`).click();
		return page.getByRole('dialog').getByLabel('备注');
	}
	await page.goto(`${baseURL}/door/${doorId}`);
	await expect(page.getByRole('heading', { name: '住户情况' })).toBeVisible();
	if (form === 'notes') return page.getByRole('region', { name: '住户情况' }).getByLabel('备注');
	await page.getByRole('button', { name: '+ 添加成员' }).click();
	return page.getByRole('dialog').getByLabel('姓名');
}

test('what was typed survives a killed tab or browser, to the last character', async ({ baseURL }) => {
	test.setTimeout(60_000 + ROUNDS * 20_000);
	const base = baseURL!;
	const profileDir = mkdtempSync(join(tmpdir(), 'gridwalk-durability-'));
	let running = await startBrowser(profileDir);
	try {
		// A browser connected over CDP has no baseURL: every address here is a full one.
		await running.page.goto(`${base}/login`);
		await running.page.getByLabel('用户名').fill('worker1');
		await running.page.getByLabel('密码').fill(PASSWORD);
		await running.page.getByRole('button', { name: '登录' }).click();
		await waitForServiceWorker(running.page);
		await expect(syncIndicator(running.page)).toContainText('在线');
		await running.page.goto(`${base}/building/${GRID1_BUILDING}`);
		await expect(running.page.locator('button[data-door]').first()).toBeVisible();
		const doorIds = await running.page.locator('button[data-door]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-door')!));
		expect(doorIds.length).toBeGreaterThanOrEqual(FORMS.length * 2);

		const lost: string[] = [];
		const lastTyped = new Map<string, string>();
		for (let round = 0; round < ROUNDS; round++) {
			const form = FORMS[round % FORMS.length];
			const kill: Kill = round % 2 === 0 ? 'crash' : 'sigkill';
			const doorId = doorIds[round % doorIds.length];
			const typed = `第${round}轮 ${form} 独居老人 needs care ${round}`;

			const field = await openForm(running.page, base, form, doorId);
			// A door met again shows the last round's draft once it is read back: clear it then.
			const previous = lastTyped.get(doorId);
			if (previous) await expect(field).toHaveValue(previous);
			await field.fill('');
			await field.click();
			await running.page.keyboard.type(typed);
			if (kill === 'crash') await crashTab(running);
			else {
				await killBrowser(running);
				running = await startBrowser(profileDir);
			}

			const reopened = await openForm(running.page, base, form, doorId);
			await expect(reopened).toBeVisible();
			// The draft is read back once the form has mounted; give it that moment, no more.
			await expect(reopened)
				.toHaveValue(typed, { timeout: 3_000 })
				.catch(async () => lost.push(`${kill} ${form} ${doorId}: typed "${typed}", found "${await reopened.inputValue()}"`));
			lastTyped.set(doorId, await reopened.inputValue());
		}
		console.log(`durability: ${ROUNDS} rounds, ${lost.length} drafts lost`);
		expect(lost).toEqual([]);
	} finally {
		await killBrowser(running);
		rmSync(profileDir, { recursive: true, force: true });
	}
});
