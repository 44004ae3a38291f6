/**
 * Loaded into the service worker Workbox generates (`workbox.importScripts` in vite.config.ts):
 * asks the browser to serve the app's immutable files (hashed names, every one precached) straight
 * from the precache, without running the worker's script for each of the ~20 files a start loads
 * (ServiceWorker static routing, Chromium ≥ 123; elsewhere Workbox's own route serves them, as
 * before). A file not in the precache goes to the network, as with Workbox's route. Offline start
 * at 4× CPU, A/B of two builds (30 + 30 alternating runs, twice): 823 → 796 ms, 838 → 788 ms.
 */
interface StaticRouterRule {
	condition: { urlPattern: string };
	source: { cacheName: string };
}

interface RoutableInstallEvent extends Event {
	/** Only in the install event, and only where the browser has static routing. */
	addRoutes?(rules: StaticRouterRule[]): Promise<void>;
}

interface ServiceWorkerScope {
	registration: { scope: string };
	addEventListener(type: 'install', listener: (event: RoutableInstallEvent) => void): void;
}

{
	const worker = self as unknown as ServiceWorkerScope;
	worker.addEventListener('install', (event) => {
		// Workbox's precache: one cache per scope, holding files with hashed names under their URL.
		const precache = `workbox-precache-v2-${worker.registration.scope}`;
		// Never fails the install: without the routes, Workbox serves the same files.
		event.addRoutes?.([{ condition: { urlPattern: '/_app/immutable/*' }, source: { cacheName: precache } }])?.catch((error) => console.warn('static routes refused', error));
	});
}
