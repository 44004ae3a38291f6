/**
 * Security headers. Every response: no MIME sniffing, no referrer, never framed. HTML pages also
 * get a Content-Security-Policy that allows scripts only from this origin plus, by hash, the one
 * inline bootstrap script SvelteKit writes into index.html: the hashes are computed from the file
 * served, so a new build never needs the policy edited by hand.
 */
import { createHash } from 'node:crypto';

export const baseSecurityHeaders: Readonly<Record<string, string>> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	// Old browsers' spelling of frame-ancestors 'none'.
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin'
};

/** sha256 sources for each inline `<script>` (one without `src`) of an HTML page. */
export function inlineScriptHashes(html: string): string[] {
	const hashes: string[] = [];
	for (const match of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
		const attributes = match[1] ?? '';
		if (/\ssrc\s*=/i.test(attributes)) continue;
		hashes.push(`'sha256-${createHash('sha256').update(match[2], 'utf8').digest('base64')}'`);
	}
	return hashes;
}

export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
	return [
		"default-src 'self'",
		`script-src 'self' ${scriptHashes.join(' ')}`.trim(),
		// Svelte sets style attributes (e.g. the door grid's column count); no inline scripts though.
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"connect-src 'self'",
		// The XLSX writer zips in a worker it creates from a blob: URL; only script already allowed
		// above can make one.
		"worker-src 'self' blob:",
		"manifest-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'"
	].join('; ');
}
