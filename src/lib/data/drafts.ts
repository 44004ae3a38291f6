/**
 * Drafts: what a form holds before it is saved, kept so that a killed tab, a crashed browser or
 * a flat battery loses nothing typed.
 *
 * Every change is written twice, inside the input event itself. localStorage is written
 * synchronously: once the handler has run, the browser process holds the draft, so a tab whose
 * renderer dies the next instant keeps it even when its IndexedDB write was still waiting in
 * the tab (durability.e2e.ts: without this copy, 3 of 6 crashed tabs lost the tail of the text).
 * IndexedDB reaches the disk within milliseconds, where Chromium keeps localStorage in memory
 * for seconds (a killed browser lost it unless it lived 6 s), so a killed browser keeps the
 * draft there. On reading, the newer of the two wins; and nothing is read back into a form that
 * was typed in while the draft was being read (what was typed is newer still).
 */
import { z } from 'zod';
import type { LocalDb } from './local-db';

const PREFIX = 'gridwalk.draft:';

const storedDraftSchema = z.object({ key: z.string(), value: z.unknown(), savedAt: z.number() });
type StoredDraft = z.infer<typeof storedDraftSchema>;

/** The drafts of one account on this device. */
export class DraftStore {
	/** How often each form was saved, so a read can tell it was overtaken by typing. */
	private readonly saves = new Map<string, number>();

	constructor(
		private readonly db: LocalDb,
		private readonly username: string
	) {}

	/**
	 * Keeps a form's value. The localStorage copy is written before this returns; the returned
	 * promise settles once IndexedDB holds it too.
	 */
	save(key: string, value: unknown): Promise<void> {
		const row: StoredDraft = { key, value, savedAt: Date.now() };
		this.saves.set(key, (this.saves.get(key) ?? 0) + 1);
		try {
			localStorage.setItem(this.storageKey(key), JSON.stringify(row));
		} catch (error) {
			// Storage full or disabled: IndexedDB still keeps the draft.
			console.warn('draft not kept in localStorage', error);
		}
		return this.write(row);
	}

	/**
	 * The newest kept value of a form, if any; nothing when the form was saved again (typed in)
	 * while this was reading, so a late answer never overwrites what the user typed meanwhile.
	 */
	async load<T>(key: string): Promise<T | undefined> {
		const savesBefore = this.saves.get(key);
		const stored = await this.db.drafts.get(key);
		if (this.saves.get(key) !== savesBefore) return undefined;
		const quick = this.readQuick(key);
		const newest = quick && (!stored || quick.savedAt >= stored.savedAt) ? quick : stored;
		return newest?.value as T | undefined;
	}

	/** Forgets a form's draft once it is saved or discarded. */
	async clear(key: string): Promise<void> {
		localStorage.removeItem(this.storageKey(key));
		await this.db.drafts.delete(key);
	}

	/**
	 * Writes one draft in its own transaction, committed at once. Left to commit by itself, a
	 * transaction waits for its success event to run in this tab, and Chromium runs input events
	 * first: under fast typing the writes fell tens of keystrokes behind, and a browser killed
	 * then lost the tail of the text.
	 */
	private write(row: StoredDraft): Promise<void> {
		if (!this.db.isOpen()) return this.db.drafts.put(row).then(() => undefined);
		const transaction = this.db.backendDB().transaction('drafts', 'readwrite');
		transaction.objectStore('drafts').put(row);
		transaction.commit();
		return new Promise((resolve, reject) => {
			transaction.oncomplete = () => resolve();
			transaction.onabort = () => reject(transaction.error);
		});
	}

	private storageKey(key: string) {
		return `${PREFIX}${this.username}:${key}`;
	}

	private readQuick(key: string): StoredDraft | undefined {
		const text = localStorage.getItem(this.storageKey(key));
		if (text === null) return undefined;
		try {
			return storedDraftSchema.parse(JSON.parse(text));
		} catch {
			return undefined;
		}
	}
}

/** Removes every account's drafts from localStorage (IndexedDB's go with the database) on sign-out. */
export function wipeQuickDrafts(): void {
	const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).filter(
		(k): k is string => k?.startsWith(PREFIX) ?? false
	);
	for (const key of keys) localStorage.removeItem(key);
}
