/**
 * The service worker: registered once; a new version waits until the user takes it, and the
 * prompt holds back while changes are still waiting to sync (DESIGN.md: never strand unsynced data).
 */
import { registerSW } from 'virtual:pwa-register';

class AppUpdate {
	available = $state(false);
	private update?: (reload?: boolean) => Promise<void>;

	register(): void {
		if (this.update || !('serviceWorker' in navigator)) return;
		this.update = registerSW({
			immediate: true,
			onNeedRefresh: () => (this.available = true)
		});
	}

	async apply(): Promise<void> {
		await this.update?.(true);
	}
}

export const appUpdate = new AppUpdate();
