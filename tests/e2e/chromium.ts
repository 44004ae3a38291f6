/**
 * Debian's Chromium, launched the way this machine allows: Playwright cannot download its own
 * browser here, and without the background-networking flags Chromium keeps dialing out.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];
