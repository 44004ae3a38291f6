/**
 * The shape of a shared document: the top-level Y.Maps it has and what each may hold. Each data
 * module declares its own next to its writers; the server checks every incoming change against
 * it, so a client that bypasses the UI cannot store what the UI could never have written.
 */
import type { z } from 'zod';
import type { Role } from '../domain/access';

/**
 * One top-level map: each value fits `schema` exactly and sits under the key `keyOf` gives.
 * `T` is the map's record type; a document mixes several, hence `MapShape<any>` below.
 */
export interface MapShape<T = unknown> {
	schema: z.ZodType<T>;
	keyOf: (value: T) => string;
	/** Roles that may write this map; absent: anyone with write access to the document. */
	writers?: readonly Role[];
	/** Values are never changed or removed once written (a duplicate of the same value is fine). */
	immutable?: boolean;
	/** The username a value claims as its author; it must be the writer's own, */
	authorOf?: (value: T) => string;
	/** unless the writer has one of these roles (they copy others' values along, e.g. in a move). */
	relayers?: readonly Role[];
}

export type DocumentShape = Readonly<Record<string, MapShape<any>>>;

/**
 * Why the server refuses a change that builds on one it has not received yet (they arrived out of
 * order, e.g. a live edit ahead of a reconnect's sync step 2): nothing is wrong with it, and the
 * client resends it with what it builds on.
 */
export const OUT_OF_ORDER = 'depends on changes the server does not have';
