/**
 * Debian's Chromium driven through a bare DevTools socket, for timing a start as a user has it.
 * Playwright enables DevTools' Runtime domain on every page, and while it is on, V8 records a
 * detailed stack trace for every Error constructed, re-parsing each function on the stack for its
 * source positions: the first Error a start chunk's top level makes (lib0 makes its errors as it
 * loads) costs ~50 ms at 4× CPU, and the whole start read ~100 ms slower than without. Here no
 * domain with such costs is enabled: Page (for the script added to every document and the load
 * event), Emulation and the network conditions; Runtime.evaluate works without enabling Runtime.
 */
import { spawn } from 'node:child_process';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium';
import { PHONE } from './browser';

export interface BarePage {
	send<T = unknown>(method: string, params?: object): Promise<T>;
	/** The value of page code (a string), awaited when it is a promise. */
	evaluate<T>(expression: string): Promise<T>;
	/** Opens `url` and resolves once its load event fired. */
	goto(url: string): Promise<void>;
	close(): Promise<void>;
}

interface Options {
	offline?: boolean;
	/** Page code run in every document before its own scripts. */
	initScript?: string;
}

const STARTUP_TIMEOUT_MS = 30_000;

/** Opens a headless Chromium on `profileDir` with one page on the benches' phone screen. */
export async function openBarePage(profileDir: string, { offline = false, initScript }: Options = {}): Promise<BarePage> {
	const child = spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, '--headless', '--hide-scrollbars', '--mute-audio', `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', `--lang=${PHONE.locale}`, 'about:blank'], {
		stdio: ['ignore', 'ignore', 'pipe']
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	try {
		const browserUrl = await new Promise<string>((resolve, reject) => {
			let output = '';
			const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${output}`)), STARTUP_TIMEOUT_MS);
			child.stderr!.on('data', (chunk) => {
				output += chunk;
				const listening = /DevTools listening on (ws:\S+)/.exec(output);
				if (listening) {
					clearTimeout(timer);
					resolve(listening[1]);
				}
			});
		});
		const socket = new WebSocket(await pageSocketUrl(new URL(browserUrl).port));
		await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
		let lastId = 0;
		const replies = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
		const listeners = new Map<string, () => void>();
		socket.on('message', (data) => {
			const message = JSON.parse(String(data));
			const reply = replies.get(message.id);
			if (reply) {
				replies.delete(message.id);
				if (message.error) reply.reject(new Error(`${message.error.message} (${message.error.code})`));
				else reply.resolve(message.result);
			} else listeners.get(message.method)?.();
		});
		const send = <T>(method: string, params: object = {}) =>
			new Promise<T>((resolve, reject) => {
				const id = ++lastId;
				replies.set(id, { resolve: resolve as (result: unknown) => void, reject });
				socket.send(JSON.stringify({ id, method, params }));
			});
		await send('Page.enable');
		await send('Emulation.setDeviceMetricsOverride', { width: PHONE.width, height: PHONE.height, deviceScaleFactor: 1, mobile: false });
		if (offline) await send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
		if (initScript) await send('Page.addScriptToEvaluateOnNewDocument', { source: initScript });
		return {
			send,
			async evaluate<T>(expression: string) {
				const { result, exceptionDetails } = await send<{ result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', {
					expression,
					awaitPromise: true,
					returnByValue: true
				});
				if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
				return result.value;
			},
			async goto(url: string) {
				const loaded = new Promise<void>((resolve) => listeners.set('Page.loadEventFired', resolve));
				await send('Page.navigate', { url });
				await loaded;
			},
			async close() {
				await send('Browser.close').catch(() => undefined);
				socket.close();
				await exited;
			}
		};
	} catch (error) {
		child.kill();
		await exited;
		throw error;
	}
}

/** The DevTools socket of the browser's first page. */
async function pageSocketUrl(port: string): Promise<string> {
	const deadline = Date.now() + STARTUP_TIMEOUT_MS;
	while (Date.now() < deadline) {
		const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { type: string; webSocketDebuggerUrl: string }[];
		const page = targets.find((target) => target.type === 'page');
		if (page) return page.webSocketDebuggerUrl;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error('Chromium opened no page');
}
