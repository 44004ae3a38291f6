/**
 * What the resident search screen shows: the query and its results over the user's resident rows
 * (one grid's for a worker, the whole community's for a coordinator).
 *
 * The rows are read from the device database once, while something shows them, and again
 * whenever a projection rewrites them (a Dexie live query); leaving the screen lets the 30,000
 * rows go. The screen reads through a connection of its own to the device database: live queries
 * see writes from every connection in the tab, and Dexie closes this one by itself when the
 * account's database is deleted on sign-out.
 */
import { liveQuery } from 'dexie';
import { createSubscriber } from 'svelte/reactivity';
import * as search from '../domain/search';
import { LocalDb } from '../data/local-db';
import type { ResidentRecord } from '../data/resident-projection';

export class ResidentSearch {
	query = $state('');
	/** Null until the rows have been read. */
	#rows = $state.raw<readonly ResidentRecord[] | null>(null);
	/** Rebuilt only when the rows change; between keystrokes it narrows by the previous query. */
	#searcher = $derived(new search.Searcher(search.createIndex(this.#rows ?? [])));
	#results = $derived(this.#searcher.search(this.query));
	readonly #subscribe: () => void;

	constructor(openDb: () => LocalDb = () => new LocalDb()) {
		this.#subscribe = createSubscriber(() => {
			const db = openDb();
			const subscription = liveQuery(() => db.residents.toArray()).subscribe({
				next: (rows) => (this.#rows = rows),
				error: (error: unknown) => console.error('reading residents failed', error)
			});
			return () => {
				subscription.unsubscribe();
				db.close();
				this.#rows = null;
			};
		});
	}

	get results(): search.SearchResult<ResidentRecord> {
		this.#subscribe();
		return this.#results;
	}

	/** How many residents can be searched, or null while they are being read. */
	get size(): number | null {
		this.#subscribe();
		return this.#rows?.length ?? null;
	}
}
