/**
 * The event log and how current values are derived from it.
 *
 * Anything several devices may write (visit outcomes now; household fields, needs, samples and
 * deliveries later) is an append-only set of immutable events. An event names the events it
 * replaces (`supersedes`: the heads its author saw), which makes the log a causal graph:
 *
 * - the heads of a field are its events that no other event supersedes;
 * - one head: that is the value; several heads with different values: a real conflict (two
 *   people changed it without seeing each other's change), kept and shown, never dropped;
 * - the displayed value is the head that wins by the kind's domain precedence, then by clock.
 *
 * `reduce` is a pure function of the *set* of events: any order and any duplication of the same
 * events gives the same state, which is what makes replicas that hold the same events agree.
 */
import { z } from 'zod';
import { hlcSchema } from './hlc';
import * as hlc from './hlc';
import { idSchema } from './places';
import { fieldValueSchema } from './household';
import { needFieldValues, statusRank, type NeedField } from './needs';

export const visitOutcomes = ['done', 'nobody_home', 'refused', 'by_phone'] as const;
export type VisitOutcome = (typeof visitOutcomes)[number];

export const visitValueSchema = z.strictObject({
	outcome: z.enum(visitOutcomes),
	note: z.string().max(500).default('')
});

const eventBase = {
	v: z.literal(1),
	id: idSchema,
	/** What the event is about: a door id for visits. */
	entity: idSchema,
	/** Username of the author. */
	user: z.string().min(1).max(64),
	device: z.string().min(1).max(64),
	hlc: hlcSchema,
	/** Ids of the events of the same entity, kind and field that the author saw as current. */
	supersedes: z.array(idSchema).max(64)
};

/** A value must fit the schema of its field; the error names the field. */
function valueFits(schemaOf: (field: string) => z.ZodType | null) {
	return (event: { field: string; value: unknown }, ctx: z.RefinementCtx) => {
		const schema = schemaOf(event.field);
		if (!schema) ctx.addIssue({ code: 'custom', path: ['field'], message: `unknown field ${event.field}` });
		else if (!schema.safeParse(event.value).success)
			ctx.addIssue({ code: 'custom', path: ['value'], message: `invalid value for ${event.field}` });
	};
}

export const visitEventSchema = z.strictObject({
	...eventBase,
	kind: z.literal('visit'),
	value: visitValueSchema
});

/** One field of a household file (see household.ts for the paths). */
export const householdEventSchema = z
	.strictObject({
		...eventBase,
		kind: z.literal('household'),
		field: z.string().min(1).max(120),
		value: z.unknown()
	})
	.superRefine(valueFits(fieldValueSchema));

/** One field of a need in the needs ledger (see needs.ts). */
export const needEventSchema = z
	.strictObject({
		...eventBase,
		kind: z.literal('need'),
		field: z.enum(Object.keys(needFieldValues) as [NeedField, ...NeedField[]]),
		value: z.unknown()
	})
	.superRefine(valueFits((field) => needFieldValues[field as NeedField] ?? null));

export const eventSchema = z.discriminatedUnion('kind', [visitEventSchema, householdEventSchema, needEventSchema]);

export type VisitEvent = z.output<typeof visitEventSchema>;
export type HouseholdEvent = z.output<typeof householdEventSchema>;
export type NeedEvent = z.output<typeof needEventSchema>;
export type LogEvent = z.output<typeof eventSchema>;
export type EventKind = LogEvent['kind'];

/** How a kind ranks its values and which of them count as the same. */
export interface KindRules<E extends LogEvent> {
	/** Higher wins among concurrent heads (a terminal state outranks the rest). */
	rank(event: E): number;
	/** Whether two concurrent values agree (no conflict to show). */
	same(a: E, b: E): boolean;
}

const visitRank: Record<VisitOutcome, number> = { done: 3, by_phone: 2, refused: 1, nobody_home: 0 };

export const rules: { [K in EventKind]: KindRules<Extract<LogEvent, { kind: K }>> } = {
	visit: {
		rank: (e) => visitRank[e.value.outcome],
		same: (a, b) => a.value.outcome === b.value.outcome
	},
	household: {
		rank: () => 0,
		same: (a, b) => sameValue(a.value, b.value)
	},
	need: {
		rank: (e) => (e.field === 'status' ? statusRank[(e.value as { status: keyof typeof statusRank }).status] : 0),
		same: (a, b) =>
			a.field === 'status'
				? (a.value as { status: string }).status === (b.value as { status: string }).status
				: sameValue(a.value, b.value)
	}
};

/** Values from JSON: equal when their canonical JSON is. */
function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

export interface FieldState<E extends LogEvent = LogEvent> {
	/** The event whose value is shown. */
	current: E;
	/** Concurrent current events, winner first; more than one only when they disagree or agree. */
	heads: E[];
	/** Heads hold different values: someone must pick one. */
	conflict: boolean;
	/** Every event of this entity and kind, oldest first. */
	history: E[];
}

/** Events of one key are versions of one value: same entity, kind and (for kinds with fields) field. */
export function fieldKey(entity: string, kind: EventKind, field = ''): string {
	return `${entity}|${kind}|${field}`;
}

function keyOf(event: LogEvent): string {
	return fieldKey(event.entity, event.kind, 'field' in event ? event.field : '');
}

/** Orders events by clock, then id, so ties never depend on arrival order. */
export function byClock(a: LogEvent, b: LogEvent): number {
	return a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Derives the state of every (entity, kind, field) from a set of events, in any order, duplicates allowed. */
export function reduce(events: Iterable<LogEvent>): Map<string, FieldState> {
	const groups = new Map<string, Map<string, LogEvent>>();
	for (const event of events) {
		const key = keyOf(event);
		let group = groups.get(key);
		if (!group) groups.set(key, (group = new Map()));
		group.set(event.id, event);
	}
	const states = new Map<string, FieldState>();
	for (const [key, group] of groups) states.set(key, reduceGroup([...group.values()]));
	return states;
}

function reduceGroup(events: LogEvent[]): FieldState {
	const superseded = new Set(events.flatMap((e) => e.supersedes));
	const kindRules = rules[events[0].kind] as KindRules<LogEvent>;
	const heads = events
		.filter((e) => !superseded.has(e.id))
		.sort((a, b) => kindRules.rank(b) - kindRules.rank(a) || byClock(b, a));
	// A cycle of supersedes (only a forged log can make one) leaves no head: fall back to all.
	const winners = heads.length > 0 ? heads : [...events].sort((a, b) => byClock(b, a));
	return {
		current: winners[0],
		heads: winners,
		conflict: winners.some((h) => !kindRules.same(h, winners[0])),
		history: [...events].sort(byClock)
	};
}

export interface NewEvent<E extends LogEvent> {
	kind: E['kind'];
	entity: string;
	/** For kinds with fields (household, need). */
	field?: string;
	value: E['value'];
	user: string;
	/** The current state of this entity and kind on this device, if any: its heads are superseded. */
	seen?: FieldState;
}

/**
 * Makes a new event and advances the clock. Pure: the id and time come from the caller.
 * The new event's clock is past every head it supersedes, so `history` (ordered by clock) never
 * lists an event before one it replaced, even when this device's clock is behind the author's.
 */
export function createEvent<E extends LogEvent>(
	input: NewEvent<E>,
	clock: hlc.Clock,
	now: number,
	id: string
): { event: E; clock: hlc.Clock } {
	const latestSeen = input.seen?.heads.reduce((max, h) => (h.hlc > max ? h.hlc : max), '');
	const next = latestSeen ? hlc.receive(clock, latestSeen, now) : hlc.tick(clock, now);
	const event = eventSchema.parse({
		v: 1,
		id,
		kind: input.kind,
		entity: input.entity,
		...(input.field === undefined ? {} : { field: input.field }),
		value: input.value,
		user: input.user,
		device: clock.node,
		hlc: hlc.encode(next),
		supersedes: input.seen ? input.seen.heads.map((h) => h.id) : []
	}) as E;
	return { event, clock: next };
}
