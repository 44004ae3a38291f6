import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * V8 compiles a function when it is first called, on the main thread. Every function of these
 * pages runs when they show, and their code is fetched ahead (the building page's once a building
 * link shows), so their chunks ask V8 to compile all of it as it loads, off the main thread:
 * explicit compile hints, Chromium ≥ 136; other browsers read a comment. The first open of a
 * 33-floor building at 4× CPU showed its doors ~10 ms sooner.
 */
function compileEagerly(pages: string[]): Plugin {
	return {
		name: 'gridwalk:compile-eagerly',
		apply: 'build',
		applyToEnvironment: (environment) => environment.name === 'client',
		// After minifying, which drops comments; the hint counts only as the file's first line.
		generateBundle(_options, bundle) {
			for (const chunk of Object.values(bundle)) {
				if (chunk.type !== 'chunk' || !chunk.moduleIds.some((id) => pages.some((page) => id.endsWith(page)))) continue;
				chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
				// Its source map gains a first line mapped to nothing.
				const map = bundle[`${chunk.fileName}.map`];
				if (map?.type === 'asset') {
					const parsed = JSON.parse(map.source.toString());
					map.source = JSON.stringify({ ...parsed, mappings: `;${parsed.mappings}` });
				}
			}
		}
	};
}

// Tests need neither compiled messages nor a service worker, and paraglide's watcher keeps
// vitest from exiting.
const appOnly = process.env.VITEST ? [] : undefined;

export default defineConfig({
	plugins: [
		appOnly ?? paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// The language a user picked is remembered on the device; Simplified Chinese otherwise.
			strategy: ['localStorage', 'baseLocale']
		}),
		sveltekit(),
		compileEagerly(['src/routes/building/[buildingId]/+page.svelte']),
		appOnly ?? SvelteKitPWA({
			strategies: 'generateSW',
			registerType: 'prompt',
			injectRegister: false,
			base: '/',
			scope: '/',
			manifest: {
				name: '网格通 Gridwalk',
				short_name: '网格通',
				description: '社区网格入户走访，离线可用',
				lang: 'zh-CN',
				start_url: '/',
				scope: '/',
				display: 'standalone',
				background_color: '#ffffff',
				theme_color: '#0b5cad',
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{ src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
				]
			},
			workbox: {
				// The first install takes control at once, so the very first visit already works offline.
				// Later versions wait for the user (registerType 'prompt'): see app-update.svelte.ts.
				clientsClaim: true,
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,woff,woff2,webmanifest}', 'prerendered/**/*.html'],
				navigateFallbackDenylist: [/^\/api\//, /^\/sync/, /^\/healthz/]
			},
			kit: { spa: true, adapterFallback: 'index.html' }
		})
	],
	test: {
		projects: [
			{ extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'], environment: 'node' } },
			{ extends: true, test: { name: 'sync', include: ['tests/sync/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000, fileParallelism: false } }
		]
	}
});
