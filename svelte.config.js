import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A static single-page app: our own server serves build/ with an index.html fallback.
		adapter: adapter({ fallback: 'index.html' }),
		// The PWA plugin generates the service worker (Workbox); Kit must not register its own.
		serviceWorker: { register: false }
	}
};

export default config;
