/**
 * Needs ledger (需求台账): a resident's need, who took it, and where it stands.
 *
 * A need is a set of events on one entity (the need id), one field each:
 * - `created` {householdId, kind, urgency, description}: written once, by whoever records it;
 * - `status` {status, note}: open → in hand (the author takes it) → done, each change an event;
 * - `urgency`: raised or lowered later.
 * Concurrent status changes rank done > in hand > open; the history keeps every step.
 */
import { z } from 'zod';
import { idSchema } from './places';
import { wallTime } from './hlc';

export const needKinds = ['medical', 'medicine', 'supplies', 'repair', 'heating', 'other'] as const;
export const urgencies = ['urgent', 'today', 'this_week'] as const;
export const needStatuses = ['open', 'in_hand', 'done'] as const;

export type NeedKind = (typeof needKinds)[number];
export type Urgency = (typeof urgencies)[number];
export type NeedStatus = (typeof needStatuses)[number];

export const needCreatedSchema = z.strictObject({
	householdId: idSchema,
	kind: z.enum(needKinds),
	urgency: z.enum(urgencies),
	description: z.string().trim().min(1).max(500)
});

export const needStatusSchema = z.strictObject({
	status: z.enum(needStatuses),
	note: z.string().max(500).default('')
});

export const needFieldValues = {
	created: needCreatedSchema,
	status: needStatusSchema,
	urgency: z.enum(urgencies)
} as const;

export type NeedField = keyof typeof needFieldValues;

/** Concurrent status changes: the furthest along wins. */
export const statusRank: Record<NeedStatus, number> = { open: 0, in_hand: 1, done: 2 };

/** Which status changes a person may make from the current one. */
export function nextStatuses(current: NeedStatus): NeedStatus[] {
	if (current === 'open') return ['in_hand', 'done'];
	if (current === 'in_hand') return ['done', 'open'];
	return ['open'];
}

interface FieldEvent<V> {
	value: V;
	user: string;
	hlc: string;
}

/** The reduced fields of one need (see events.ts `reduce`). */
export interface NeedFields {
	id: string;
	created: FieldEvent<z.output<typeof needCreatedSchema>>;
	status?: FieldEvent<z.output<typeof needStatusSchema>>;
	urgency?: FieldEvent<Urgency>;
}

export interface Need {
	id: string;
	householdId: string;
	kind: NeedKind;
	urgency: Urgency;
	description: string;
	status: NeedStatus;
	/** Who recorded the need. */
	createdBy: string;
	createdAt: number;
	/** Who took it (in hand or done), if anyone. */
	takenBy?: string;
	updatedAt: number;
}

export function deriveNeed(fields: NeedFields): Need {
	const status = fields.status?.value.status ?? 'open';
	const updated = [fields.created, fields.status, fields.urgency].reduce((max, f) => (f && f.hlc > max ? f.hlc : max), '');
	return {
		id: fields.id,
		householdId: fields.created.value.householdId,
		kind: fields.created.value.kind,
		urgency: fields.urgency?.value ?? fields.created.value.urgency,
		description: fields.created.value.description,
		status,
		createdBy: fields.created.user,
		createdAt: wallTime(fields.created.hlc),
		takenBy: status === 'open' ? undefined : fields.status?.user,
		updatedAt: wallTime(updated)
	};
}

const urgencyRank: Record<Urgency, number> = { urgent: 0, today: 1, this_week: 2 };

/** Open needs first, most urgent first, oldest first: the order a grid's list is worked in. */
export function byUrgency(a: Need, b: Need): number {
	const done = Number(a.status === 'done') - Number(b.status === 'done');
	return done || urgencyRank[a.urgency] - urgencyRank[b.urgency] || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);
}
