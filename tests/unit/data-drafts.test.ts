/**
 * Drafts kept twice (localStorage and IndexedDB, see drafts.ts): the newer copy is the one read
 * back, whichever store it is in, and sign-out leaves no draft in localStorage.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftStore, wipeQuickDrafts } from '$lib/data/drafts';
import { LocalDb } from '$lib/data/local-db';

/** localStorage as a browser has it: string values by key, enumerable through key(i). */
class MemoryStorage {
	private readonly items = new Map<string, string>();
	get length() {
		return this.items.size;
	}
	key(i: number) {
		return [...this.items.keys()][i] ?? null;
	}
	getItem(key: string) {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string) {
		this.items.set(key, String(value));
	}
	removeItem(key: string) {
		this.items.delete(key);
	}
}

const KEY = 'household:h-b1-1-101:notes';
const STORAGE_KEY = `gridwalk.draft:wang:${KEY}`;

describe('DraftStore', () => {
	let db: LocalDb;
	let drafts: DraftStore;
	beforeEach(async () => {
		vi.stubGlobal('localStorage', new MemoryStorage());
		db = new LocalDb(`drafts-test-${Math.random()}`);
		await db.open();
		drafts = new DraftStore(db, 'wang');
	});
	afterEach(async () => {
		vi.unstubAllGlobals();
		await db.delete();
	});

	it('has the localStorage copy before save returns, and the IndexedDB one once it settles', async () => {
		const stored = drafts.save(KEY, '独居老人');
		expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).toMatchObject({ key: KEY, value: '独居老人' });
		await stored;
		expect(await db.drafts.get(KEY)).toMatchObject({ value: '独居老人' });
		expect(await drafts.load(KEY)).toBe('独居老人');
	});

	it('reads back the newer copy: IndexedDB when localStorage was not yet on disk', async () => {
		await drafts.save(KEY, '独居老人 needs care');
		localStorage.setItem(STORAGE_KEY, JSON.stringify({ key: KEY, value: '独居', savedAt: 1 }));
		expect(await drafts.load(KEY)).toBe('独居老人 needs care');
	});

	it('reads back the newer copy: localStorage when the tab died before IndexedDB had it', async () => {
		await db.drafts.put({ key: KEY, value: '独居', savedAt: 1 });
		localStorage.setItem(STORAGE_KEY, JSON.stringify({ key: KEY, value: '独居老人', savedAt: 2 }));
		expect(await drafts.load(KEY)).toBe('独居老人');
	});

	it('reads back nothing when the form was typed in while the draft was being read', async () => {
		await drafts.save(KEY, '独居');
		const late = drafts.load(KEY);
		void drafts.save(KEY, '独居老人');
		expect(await late).toBeUndefined();
		expect(await drafts.load(KEY)).toBe('独居老人');
	});

	it('ignores a localStorage copy it cannot read', async () => {
		await drafts.save(KEY, '独居老人');
		localStorage.setItem(STORAGE_KEY, '{"key":');
		expect(await drafts.load(KEY)).toBe('独居老人');
	});

	it('forgets both copies when the form is saved', async () => {
		await drafts.save(KEY, '独居老人');
		await drafts.clear(KEY);
		expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
		expect(await drafts.load(KEY)).toBeUndefined();
	});

	it('sign-out removes every draft from localStorage and nothing else', async () => {
		localStorage.setItem('gridwalk.device', 'd1');
		await drafts.save(KEY, '独居老人');
		await new DraftStore(db, 'li').save('visit:b1-1-102', { outcome: 'done', note: '' });
		wipeQuickDrafts();
		expect(localStorage.length).toBe(1);
		expect(localStorage.getItem('gridwalk.device')).toBe('d1');
	});
});
