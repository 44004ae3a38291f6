/**
 * Checks a Yjs update a client sent against the document it would change, before the server
 * stores or relays it. The update is decoded, not applied: every new entry must be a value of
 * one of the document's top-level maps (see `DocumentShape`) that its schema returns unchanged
 * (so unknown fields, wrong types, oversized strings and missing defaults are all refused), under
 * its own key, written by a role that may write that map, authored by the writer when the map
 * names authors (or by a role that relays others' values); nothing may be deleted except a value
 * the same update replaces (immutable maps: only by an identical copy, which is how Yjs settles
 * the same event written twice); and each author's new entries must follow on from what the
 * server has of that author's.
 *
 * Yjs encodes where a new map entry lives only for the first entry under a key; later ones name
 * the entry they follow (`origin`), found in the same update or in the server's document. Entries
 * whose neighbour was garbage-collected become garbage themselves when applied, so they cannot
 * change anything and are let through.
 */
import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';
import type { Role } from '../src/lib/domain/access';
import { OUT_OF_ORDER, type DocumentShape, type MapShape } from '../src/lib/data/document-shape';

export interface Writer {
	username: string;
	role: Role;
}

export type ChangeCheck =
	/** `changes`: false when the server already has all of it (nothing to store). */
	| { ok: true; changes: boolean }
	/** `reason` names the map, key and rule, never a value (values may be personal data). */
	| { ok: false; reason: string };

type Struct = Y.Item | Y.GC | Y.Skip;

/** Where an entry lives: a top-level map and a key, or nowhere that matters (garbage). */
type Place = { map: string; key: string } | 'garbage' | 'nested' | 'unknown';

class Refusal extends Error {}

function refuse(reason: string): never {
	throw new Refusal(reason);
}

/** The struct of `structs` (sorted by clock, one client) that contains `clock`. */
function structAt(structs: readonly Struct[] | undefined, clock: number): Struct | undefined {
	if (!structs || structs.length === 0) return undefined;
	let low = 0;
	let high = structs.length - 1;
	while (low <= high) {
		const middle = (low + high) >> 1;
		const struct = structs[middle];
		if (clock < struct.id.clock) high = middle - 1;
		else if (clock >= struct.id.clock + struct.length) low = middle + 1;
		else return struct;
	}
	return undefined;
}

function placeOfStored(struct: Struct): Place {
	if (!(struct instanceof Y.Item)) return 'garbage';
	const parent = struct.parent as Y.AbstractType<unknown> | null;
	if (!parent) return 'garbage';
	if (parent._item !== null) return 'nested';
	if (struct.parentSub === null) return 'nested';
	return { map: Y.findRootTypeKey(parent), key: struct.parentSub };
}

export function checkUpdate(doc: Y.Doc, update: Uint8Array, shape: DocumentShape, writer: Writer): ChangeCheck {
	try {
		return check(doc, update, shape, writer);
	} catch (error) {
		if (error instanceof Refusal) return { ok: false, reason: error.message };
		// Anything else is a malformed update (lib0 throws on truncated or nonsensical bytes).
		return { ok: false, reason: 'malformed update' };
	}
}

function check(doc: Y.Doc, update: Uint8Array, shape: DocumentShape, writer: Writer): ChangeCheck {
	const { structs, ds } = Y.decodeUpdate(update);
	const known = (client: number, clock: number) => clock < Y.getState(doc.store, client);

	const incoming = new Map<number, Struct[]>();
	for (const struct of structs) {
		const list = incoming.get(struct.id.client) ?? [];
		list.push(struct);
		incoming.set(struct.id.client, list);
	}

	// Each author's entries must continue from what the server has. After a gap, Yjs would keep
	// them unapplied, yet send them on in every sync step 2; other users' devices would then send
	// them back as theirs (and be refused for another user's name) until the gap arrived.
	for (const [client, list] of incoming) {
		let next = Y.getState(doc.store, client);
		for (const struct of list) {
			if (struct.id.clock > next) refuse(OUT_OF_ORDER);
			if (!(struct instanceof Y.Skip)) next = Math.max(next, struct.id.clock + struct.length);
		}
	}

	const places = new Map<Struct, Place>();
	/** The place of the entry holding `id`, looked up in the update first, then in the document. */
	const placeOfId = (id: Y.ID, depth: number): Place => {
		const inUpdate = structAt(incoming.get(id.client), id.clock);
		if (inUpdate) return placeOf(inUpdate, depth + 1);
		if (known(id.client, id.clock)) return placeOfStored(Y.getItem(doc.store, id));
		return 'unknown';
	};
	const placeOf = (struct: Struct, depth = 0): Place => {
		const cached = places.get(struct);
		if (cached) return cached;
		let place: Place;
		if (!(struct instanceof Y.Item)) place = 'garbage';
		// A chain longer than the update cannot be a real chain of entries.
		else if (depth > structs.length) refuse('malformed update');
		else if (typeof struct.parent === 'string') place = struct.parentSub === null ? 'nested' : { map: struct.parent, key: struct.parentSub };
		else if (struct.parent !== null) place = 'nested';
		else {
			const neighbour = struct.origin ?? struct.rightOrigin;
			place = neighbour ? placeOfId(neighbour, depth) : 'unknown';
		}
		places.set(struct, place!);
		return place!;
	};

	const mapShape = (name: string): MapShape => {
		const map = shape[name];
		if (!Object.hasOwn(shape, name) || !map) refuse(`unknown map ${name}`);
		if (map.writers && !map.writers.includes(writer.role)) refuse(`${name}: not writable by ${writer.role}`);
		return map;
	};

	/** New values per map and key, to judge deletions and duplicate immutable entries. */
	const written = new Map<string, unknown[]>();
	let changes = false;

	for (const struct of structs) {
		if (!(struct instanceof Y.Item)) continue;
		if (known(struct.id.client, struct.id.clock + struct.length - 1)) continue;
		changes = true;
		const place = placeOf(struct);
		if (place === 'garbage') continue;
		if (place === 'nested') refuse('not an entry of a top-level map');
		if (place === 'unknown') refuse(OUT_OF_ORDER);
		const map = mapShape(place.map);
		if (struct.content instanceof Y.ContentDeleted) continue;
		if (!(struct.content instanceof Y.ContentAny) || struct.content.arr.length !== 1)
			refuse(`${place.map}/${place.key}: not a plain value`);
		const value = struct.content.arr[0];
		const parsed = map.schema.safeParse(value);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			refuse(`${place.map}/${place.key}: ${issue.path.join('.') || 'value'}: ${issue.message}`);
		}
		if (!isDeepStrictEqual(parsed.data, value)) refuse(`${place.map}/${place.key}: not in canonical form`);
		if (map.keyOf(parsed.data) !== place.key) refuse(`${place.map}/${place.key}: stored under another key`);
		if (map.authorOf && map.authorOf(parsed.data) !== writer.username && !map.relayers?.includes(writer.role))
			refuse(`${place.map}/${place.key}: written in another user's name`);
		if (map.immutable) {
			const stored = doc.getMap(place.map).get(place.key);
			const earlier = written.get(`${place.map}\0${place.key}`) ?? [];
			if (stored !== undefined && !isDeepStrictEqual(stored, value)) refuse(`${place.map}/${place.key}: cannot be changed`);
			if (earlier.some((other) => !isDeepStrictEqual(other, value))) refuse(`${place.map}/${place.key}: cannot be changed`);
		}
		const key = `${place.map}\0${place.key}`;
		written.set(key, [...(written.get(key) ?? []), value]);
	}

	for (const [client, ranges] of ds.clients) {
		const stored = doc.store.clients.get(client) as Struct[] | undefined;
		for (const { clock, len } of ranges) {
			for (let at = clock; at < clock + len; ) {
				const struct = structAt(stored, at);
				if (!struct) {
					// Only entries of this same update (written and replaced in one go) may be deleted
					// unseen: any other deletion would wait unapplied and remove the entry, unchecked,
					// from the live document and every replica (not the store) the moment it arrived.
					const own = structAt(incoming.get(client), at);
					if (!(own instanceof Y.Item)) refuse(OUT_OF_ORDER);
					at = own.id.clock + own.length;
					continue;
				}
				at = struct.id.clock + struct.length;
				if (!(struct instanceof Y.Item) || struct.deleted) continue;
				changes = true;
				const place = placeOfStored(struct);
				if (place === 'garbage') continue;
				if (place === 'nested' || place === 'unknown') refuse('deletes an entry it may not');
				const map = mapShape(place.map);
				const replacements = written.get(`${place.map}\0${place.key}`);
				if (!replacements) refuse(`${place.map}/${place.key}: cannot be deleted`);
				if (map.immutable && !replacements.every((value) => isDeepStrictEqual(value, struct.content.getContent()[0])))
					refuse(`${place.map}/${place.key}: cannot be changed`);
			}
		}
	}
	return { ok: true, changes };
}
