/**
 * The change history of a household: who changed what and when, for every event of its door
 * (visits), its file (household and member fields) and its needs, newest first. Each entry
 * says what a field was before the change (the values its author replaced; several when the
 * change settled a conflict) and after it. ID numbers are masked here, wherever they appear,
 * so no screen built on this can show one in full.
 */
import { byClock, type LogEvent } from './events';
import { wallTime } from './hlc';
import { parseFieldPath } from './household';
import { mask, maskIn } from './id-number';

export interface AuditEntry {
	/** The event's id. */
	id: string;
	kind: LogEvent['kind'];
	/** The household field path, or the need's field (`created`, `status`, `urgency`); '' for a visit. */
	field: string;
	/** The need's id for a need, else the door or household. */
	entity: string;
	/** Username of the author. */
	user: string;
	/** When it was changed, by the author's clock (ms since the epoch). */
	at: number;
	/** The values this change replaced, oldest first; empty for a first value. */
	before: unknown[];
	after: unknown;
}

/**
 * The history of the given events (those of one household and its door, any order, duplicates
 * allowed), newest first.
 */
export function auditTrail(events: Iterable<LogEvent>): AuditEntry[] {
	const byId = new Map<string, LogEvent>();
	for (const event of events) byId.set(event.id, event);
	return [...byId.values()].sort((a, b) => byClock(b, a)).map((event) => {
		const field = 'field' in event ? event.field : '';
		const before = event.supersedes
			.map((id) => byId.get(id))
			.filter((e): e is LogEvent => e !== undefined)
			.sort(byClock)
			.map((e) => masked(e.kind, field, e.value));
		return {
			id: event.id,
			kind: event.kind,
			field,
			entity: event.entity,
			user: event.user,
			at: wallTime(event.hlc),
			before,
			after: masked(event.kind, field, event.value)
		};
	});
}

/** A value with any ID number in it masked: the ID number field itself, and free text. */
function masked(kind: LogEvent['kind'], field: string, value: unknown): unknown {
	if (kind === 'household') {
		const path = parseFieldPath(field);
		if (path && 'field' in path && path.field === 'idNumber' && typeof value === 'string') return mask(value);
	}
	return maskDeep(value);
}

function maskDeep(value: unknown): unknown {
	if (typeof value === 'string') return maskIn(value);
	if (Array.isArray(value)) return value.map(maskDeep);
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)]));
	return value;
}
