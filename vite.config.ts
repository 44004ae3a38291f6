import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { readFileSync } from 'node:fs';
import { transformWithOxc, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * V8 compiles a function when it is first called, on the main thread: a quarter of the main
 * thread's work in an offline start at 4× CPU. The chunks the start runs (Kit's entries, the root
 * layout, the home page, with every chunk they import) and the building page's (fetched ahead
 * once a building link shows) ask V8 to compile all their functions as they load, off the main
 * thread: explicit compile hints, Chromium ≥ 136; other browsers read a comment. Measured here
 * (A/B, 15 alternating runs each): offline start at 4× 1,043 → 981 ms; the building's doors on
 * screen ~10 ms sooner.
 */
function compileEagerly(modules: string[]): Plugin {
	return {
		name: 'gridwalk:compile-eagerly',
		apply: 'build',
		applyToEnvironment: (environment) => environment.name === 'client',
		generateBundle: {
			// After minifying, which drops comments, and after Vite's own additions to a chunk's first
			// line (its preload map): the hint counts only as the file's first line.
			order: 'post',
			handler(_options, bundle) {
				const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
				const hinted = new Set(chunks.filter((chunk) => chunk.moduleIds.some((id) => modules.some((module) => id.endsWith(module)))).map((chunk) => chunk.fileName));
				for (const name of hinted) {
					const chunk = bundle[name];
					if (chunk?.type === 'chunk') for (const imported of chunk.imports) hinted.add(imported);
				}
				for (const name of hinted) {
					const chunk = bundle[name];
					if (chunk?.type !== 'chunk') continue;
					chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
					// Its source map gains a first line mapped to nothing.
					const map = bundle[`${chunk.fileName}.map`];
					if (map?.type === 'asset') {
						const parsed = JSON.parse(map.source.toString());
						map.source = JSON.stringify({ ...parsed, mappings: `;${parsed.mappings}` });
					}
				}
			}
		}
	};
}

// Tests need neither compiled messages nor a service worker, and paraglide's watcher keeps
// vitest from exiting.
/**
 * A TypeScript file for the service worker, written (types stripped) as the classic script
 * Workbox's generated worker loads with `importScripts`: it must have no imports or exports.
 */
function workerScript(source: string, fileName: string): Plugin {
	return {
		name: 'gridwalk:worker-script',
		apply: 'build',
		applyToEnvironment: (environment) => environment.name === 'client',
		async generateBundle() {
			const { code } = await transformWithOxc(readFileSync(source, 'utf8'), source, { lang: 'ts' });
			this.emitFile({ type: 'asset', fileName, source: code });
		}
	};
}

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
		compileEagerly([
			'@sveltejs/kit/src/runtime/client/entry.js',
			'generated/client-optimized/app.js',
			'src/routes/+layout.svelte',
			'src/routes/+page.svelte',
			'src/routes/building/[buildingId]/+page.svelte'
		]),
		workerScript('src/worker-static-routes.ts', 'worker-static-routes.js'),
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
				importScripts: ['worker-static-routes.js'],

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
