/**
 * A grid's register document: its households and its event log (visits now, more kinds later).
 * Events are immutable and keyed by id, so a duplicated or re-imported event is stored once.
 * Only this module touches its Yjs maps.
 */
import * as Y from 'yjs';
import { eventSchema, type LogEvent } from '../domain/events';
import { householdSchema, type Household } from '../domain/household';
import { parseEntries } from './y-values';
import type { DocumentShape } from './document-shape';

export { subscribe } from './y-values';

export interface RegisterWriter {
	putHousehold(household: Household): void;
	append(event: LogEvent): void;
}

/**
 * What may be stored in a register, for the server's check of incoming changes: households
 * are base records only coordinators write (imports, moves); events are written once by
 * their author and never changed. A coordinator moving a building or unit to another grid
 * copies its events, written by workers, into that grid's register.
 */
export const shape: DocumentShape = {
	households: { schema: householdSchema, keyOf: (household) => household.id, writers: ['coordinator'] },
	events: { schema: eventSchema, keyOf: (event) => event.id, immutable: true, authorOf: (event) => event.user, relayers: ['coordinator'] }
};

const maps = (doc: Y.Doc) => ({
	households: doc.getMap<unknown>('households'),
	events: doc.getMap<unknown>('events')
});

export function households(doc: Y.Doc): Household[] {
	return parseEntries(maps(doc).households, householdSchema);
}

export function events(doc: Y.Doc): LogEvent[] {
	return parseEntries(maps(doc).events, eventSchema);
}

/** One event by id, if the document holds it (and it reads as one). */
export function event(doc: Y.Doc, id: string): LogEvent | undefined {
	const parsed = eventSchema.safeParse(maps(doc).events.get(id));
	return parsed.success ? parsed.data : undefined;
}

export function hasEvent(doc: Y.Doc, id: string): boolean {
	return maps(doc).events.has(id);
}

export function change(doc: Y.Doc, fn: (writer: RegisterWriter) => void, origin?: unknown): void {
	const m = maps(doc);
	doc.transact(() => {
		fn({
			putHousehold: (h) => m.households.set(h.id, householdSchema.parse(h)),
			append: (e) => {
				if (!m.events.has(e.id)) m.events.set(e.id, eventSchema.parse(e));
			}
		});
	}, origin);
}


/** Whether the server, having the document up to `stateVector`, has this event. */
export function hasEventWithin(doc: Y.Doc, id: string, stateVector: ReadonlyMap<number, number>): boolean {
	const item = maps(doc).events._map.get(id);
	return !!item && item.id.clock < (stateVector.get(item.id.client) ?? 0);
}
