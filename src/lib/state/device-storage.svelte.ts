/**
 * What the browser says about this device's storage: whether it may evict our data, and how
 * much is used. Persistent storage is asked for at start (workspace.svelte.ts) and again here.
 */
export type Persistence = 'granted' | 'not_granted' | 'unsupported';

export interface StorageUse {
	usage: number;
	quota: number;
}

export class DeviceStorage {
	persistence = $state<Persistence | null>(null);
	use = $state<StorageUse | null>(null);

	/** Reads the current state; asks for persistence when `ask` (the browser may decide silently). */
	async refresh(ask = false): Promise<void> {
		const storage = navigator.storage;
		if (!storage?.persisted) this.persistence = 'unsupported';
		else {
			const granted = ask && storage.persist ? await storage.persist().catch(() => false) : await storage.persisted();
			this.persistence = granted ? 'granted' : 'not_granted';
		}
		const estimate = await storage?.estimate?.().catch(() => null);
		this.use = estimate?.usage !== undefined && estimate.quota !== undefined ? { usage: estimate.usage, quota: estimate.quota } : null;
	}
}

/** Hands text to the browser as a file download. */
export function saveFile(text: string, fileName: string): void {
	const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	link.click();
	// The download has started from the link; the URL is not needed once the click is handled.
	setTimeout(() => URL.revokeObjectURL(url), 0);
}
