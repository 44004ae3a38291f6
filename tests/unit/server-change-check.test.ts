/**
 * The server's check of incoming changes: what the app's own writers produce passes, and every
 * way a client that bypasses the UI could write something else is refused with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, type Writer } from '../../server/change-check';
import * as communityIndex from '../../src/lib/data/community-index-doc';
import * as register from '../../src/lib/data/register-doc';
import type { Household } from '../../src/lib/domain/household';
import * as events from '../../src/lib/domain/events';
import * as hlc from '../../src/lib/domain/hlc';

const worker: Writer = { username: 'worker1', role: 'grid_worker' };
const coordinator: Writer = { username: 'coordinator', role: 'coordinator' };

const household = (id: string, notes = ''): Household => ({
	v: 1,
	id,
	doorId: `d-${id}`,
	occupancy: 'lived_in',
	members: [],
	passCards: 0,
	flags: [],
	notes
});

let clock = hlc.create('device-1', 1_700_000_000_000);
function visit(id: string, user = 'worker1', note = ''): events.LogEvent {
	const made = events.createEvent({ kind: 'visit', entity: 'd-h1', user, value: { outcome: 'done', note } }, clock, 1_700_000_000_000, id);
	clock = made.clock;
	return made.event;
}

/** The server's register, with one household and one event, and a client that has synced it. */
function setup() {
	const server = new Y.Doc();
	register.change(server, (w) => {
		w.putHousehold(household('h1'));
		w.append(visit('e1'));
	});
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	return { server, client };
}

/** The update a change on `doc` produces (what a provider would send). */
function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
	const updates: Uint8Array[] = [];
	const listener = (update: Uint8Array) => updates.push(update);
	doc.on('update', listener);
	change();
	doc.off('update', listener);
	return Y.mergeUpdates(updates);
}

const check = (server: Y.Doc, update: Uint8Array, writer = worker) => checkUpdate(server, update, register.shape, writer);

describe('checkUpdate: what the app writes passes', () => {
	it('accepts a new event by its author, and the same update again as nothing new', () => {
		const { server, client } = setup();
		const update = updateOf(client, () => register.change(client, (w) => w.append(visit('e2'))));
		expect(check(server, update)).toEqual({ ok: true, changes: true });
		Y.applyUpdate(server, update);
		expect(check(server, update)).toEqual({ ok: true, changes: false });
	});

	it("accepts a coordinator's household overwrite (the old value deleted, a new one under its key)", () => {
		const { server, client } = setup();
		const update = updateOf(client, () => register.change(client, (w) => w.putHousehold(household('h1', 'new notes'))));
		expect(Y.decodeUpdate(update).ds.clients.size).toBe(1);
		expect(check(server, update, coordinator)).toEqual({ ok: true, changes: true });
	});

	it("accepts a coordinator copying workers' events into another grid's register (a move)", () => {
		const { server, client } = setup();
		const update = updateOf(client, () => register.change(client, (w) => w.append(visit('moved', 'worker2'))));
		expect(check(server, update, coordinator)).toEqual({ ok: true, changes: true });
	});

	it('accepts the same event written on two devices (Yjs deletes one copy)', () => {
		const { server, client } = setup();
		const twice = visit('e-twice');
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(server));
		register.change(other, (w) => w.append(twice));
		register.change(client, (w) => w.append(twice));
		Y.applyUpdate(server, Y.encodeStateAsUpdate(other));
		// The client learns of the other copy, then reconnects: its sync step 2 deletes one copy.
		Y.applyUpdate(client, Y.encodeStateAsUpdate(other));
		const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		expect(check(server, step2)).toMatchObject({ ok: true });
	});

	it('accepts a reconnecting sync step 2 holding a day of offline work', () => {
		const { server, client } = setup();
		for (let i = 0; i < 50; i++) register.change(client, (w) => w.append(visit(`day-${i}`)));
		const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		expect(check(server, step2)).toEqual({ ok: true, changes: true });
	});

	it('accepts an index written by a coordinator', () => {
		const server = new Y.Doc();
		const update = updateOf(server, () =>
			communityIndex.change(server, (w) => {
				w.setCommunity({ v: 1, id: 'c1', name: '东风社区' });
				w.putGrid({ v: 1, id: 'g01', name: '第一网格', buildingIds: [], workers: [] });
			})
		);
		expect(checkUpdate(new Y.Doc(), update, communityIndex.shape, coordinator)).toEqual({ ok: true, changes: true });
		expect(checkUpdate(new Y.Doc(), update, communityIndex.shape, worker)).toEqual({
			ok: false,
			reason: 'meta: not writable by grid_worker'
		});
	});

	it('property: any sequence of edits made through the writers passes, update by update', () => {
		const edit = fc.oneof(
			fc.record({ kind: fc.constant('visit' as const), id: fc.integer({ min: 0, max: 5 }), note: fc.string({ maxLength: 20 }) }),
			fc.record({ kind: fc.constant('household' as const), id: fc.integer({ min: 0, max: 3 }), notes: fc.string({ maxLength: 20 }) })
		);
		fc.assert(
			fc.property(fc.array(edit, { maxLength: 30 }), (edits) => {
				const { server, client } = setup();
				for (const e of edits) {
					const update = updateOf(client, () =>
						register.change(client, (w) =>
							e.kind === 'visit' ? w.append(visit(`p-${e.id}`, 'coordinator', e.note)) : w.putHousehold(household(`h${e.id}`, e.notes))
						)
					);
					const result = check(server, update, coordinator);
					if (!result.ok) throw new Error(result.reason);
					Y.applyUpdate(server, update);
				}
				expect(server.getMap('events').toJSON()).toEqual(client.getMap('events').toJSON());
			}),
			{ seed: 4, numRuns: 100 }
		);
	});
});

describe('checkUpdate: what a hostile or broken client writes is refused', () => {
	/** A raw write to the client's maps, bypassing the writers and their schemas. */
	const raw = (fn: (doc: Y.Doc) => void) => {
		const { server, client } = setup();
		return { server, update: updateOf(client, () => client.transact(() => fn(client))) };
	};
	const refusal = (fn: (doc: Y.Doc) => void, writer = worker) => {
		const { server, update } = raw(fn);
		return check(server, update, writer);
	};

	const hostile: [name: string, write: (d: Y.Doc) => void, reason: string, writer?: Writer][] = [
		['an event in another user’s name', (d: Y.Doc) => d.getMap('events').set('x1', visit('x1', 'worker2')), "events/x1: written in another user's name"],
		['an unknown field', (d: Y.Doc) => d.getMap('events').set('x1', { ...visit('x1'), extra: 1 }), 'events/x1: value: Unrecognized key: "extra"'],
		['a wrong type', (d: Y.Doc) => d.getMap('events').set('x1', { ...visit('x1'), value: { outcome: 'done', note: 5 } }), 'events/x1: value.note: Invalid input: expected string, received number'],
		['a huge string', (d: Y.Doc) => d.getMap('events').set('x1', { ...visit('x1'), value: { outcome: 'done', note: '长'.repeat(100_000) } }), 'events/x1: value.note: Too big: expected string to have <=500 characters'],
		['a record missing its defaults', (d: Y.Doc) => d.getMap('events').set('x1', { ...visit('x1'), value: { outcome: 'done' } }), 'events/x1: not in canonical form'],
		['a record under another key', (d: Y.Doc) => d.getMap('events').set('x2', visit('x1')), 'events/x2: stored under another key'],
		['a map the document does not have', (d: Y.Doc) => d.getMap('secrets').set('k', 1), 'unknown map secrets'],
		['a nested type', (d: Y.Doc) => d.getMap('events').set('x1', new Y.Map()), 'events/x1: not a plain value'],
		['text instead of a value', (d: Y.Doc) => d.getText('events').insert(0, 'hello'), 'not an entry of a top-level map'],
		['a changed event', (d: Y.Doc) => d.getMap('events').set('e1', { ...(d.getMap('events').get('e1') as object), entity: 'd-h2' }), 'events/e1: cannot be changed'],
		['a deleted event', (d: Y.Doc) => d.getMap('events').delete('e1'), 'events/e1: cannot be deleted'],
		['a household written by a worker', (d: Y.Doc) => d.getMap('households').set('h2', household('h2')), 'households: not writable by grid_worker'],
		['an invalid household', (d: Y.Doc) => d.getMap('households').set('h2', { ...household('h2'), occupancy: 'castle' }), 'households/h2: occupancy: Invalid option: expected one of "lived_in"|"empty"|"rented_out"|"shop"|"other"', coordinator],
		['a deleted household', (d: Y.Doc) => d.getMap('households').delete('h1'), 'households/h1: cannot be deleted', coordinator]
	];
	it.each(hostile)('%s', (_name, write, reason, writer = worker) => {
		expect(refusal(write, writer)).toEqual({ ok: false, reason });
	});

	it('refuses bytes that are not an update, without throwing', () => {
		const { server } = setup();
		expect(check(server, new Uint8Array([1, 2, 3, 250, 251]))).toEqual({ ok: false, reason: 'malformed update' });
		expect(check(server, new Uint8Array(0))).toEqual({ ok: false, reason: 'malformed update' });
	});

	it('refuses a change that builds on changes the server never received', () => {
		const { server, client } = setup();
		register.change(client, (w) => w.putHousehold(household('h9', 'first')));
		const second = updateOf(client, () => register.change(client, (w) => w.putHousehold(household('h9', 'second'))));
		expect(check(server, second, coordinator)).toEqual({ ok: false, reason: 'depends on changes the server does not have' });
	});

	it('refuses a change that follows a gap in its author\'s updates, until the gap arrives', () => {
		// Accepted, Yjs would keep it unapplied, and the server would pass it on in its sync
		// step 2; another user's device then sends it back as if written in that user's name.
		const { server, client } = setup();
		const first = updateOf(client, () => register.change(client, (w) => w.append(visit('e2'))));
		const second = updateOf(client, () => register.change(client, (w) => w.append(visit('e3'))));
		expect(check(server, second)).toEqual({ ok: false, reason: 'depends on changes the server does not have' });
		expect(check(server, first)).toEqual({ ok: true, changes: true });
		Y.applyUpdate(server, first);
		expect(check(server, second)).toEqual({ ok: true, changes: true });
		expect(check(server, Y.mergeUpdates([second, first]))).toEqual({ ok: true, changes: true });
	});

	it("refuses deleting an entry the server does not have yet (it would vanish on arrival, from every replica but the store)", () => {
		const { server, client } = setup();
		const author = new Y.Doc();
		Y.applyUpdate(author, Y.encodeStateAsUpdate(server));
		const arriving = updateOf(author, () => register.change(author, (w) => w.append(visit('e2', 'worker2'))));
		Y.applyUpdate(client, arriving);
		const early = updateOf(client, () => client.getMap('events').delete('e2'));
		expect(check(server, early)).toEqual({ ok: false, reason: 'depends on changes the server does not have' });
	});

	it('reasons never carry the values (they may be personal data)', () => {
		const secret = '110101199003077777';
		const result = refusal((d) => d.getMap('events').set('x1', { ...visit('x1'), value: { outcome: 'done', note: 5, id: secret } }));
		expect(result.ok).toBe(false);
		expect(JSON.stringify(result)).not.toContain(secret);
	});
});
