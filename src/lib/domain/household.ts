/**
 * Household file (一户一档): who lives behind a door, how to reach them, what to watch for.
 *
 * A household has a base record (from the demo seed or a coordinator's import) and, on top of it,
 * field edits as events (`kind: 'household'`), one field per event, so two workers who change
 * different fields of one household offline both keep their change, and two who change the same
 * field get a conflict to resolve instead of a silent overwrite. Field paths:
 *
 * - household: `occupancy`, `phone`, `passCards`, `notes`, `flag.<flag>`
 * - member:    `member.<memberId>.<name|relation|sex|birth|phone|idNumber|residence|removed>`,
 *              `member.<memberId>.flag.<flag>`
 */
import { z } from 'zod';
import { idSchema } from './places';
import * as idNumber from './id-number';
import { normalizePhone } from './contact';
import { isRealDate } from './calendar';

export const occupancies = ['lived_in', 'empty', 'rented_out', 'shop', 'other'] as const;
export const relations = ['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'tenant', 'other'] as const;
export const residenceStatuses = ['registered', 'long_term', 'temporary', 'accompanying_student'] as const;
export const sexes = ['male', 'female'] as const;
/** Special situations, per household or per member; shown as icons on the door grid. */
export const flags = [
	'elderly_alone',
	'elderly_only',
	'bedridden',
	'chronic_medication',
	'pregnant',
	'infant',
	'disability',
	'home_isolation'
] as const;

export type Occupancy = (typeof occupancies)[number];
export type Relation = (typeof relations)[number];
export type Flag = (typeof flags)[number];

/** `YYYY` when only the year is known, else `YYYY-MM-DD`. */
export const birthSchema = z
	.string()
	.regex(/^(\d{4})(-\d{2}-\d{2})?$/)
	.refine((s) => {
		const year = Number(s.slice(0, 4));
		if (year < 1900 || year > 2100) return false;
		return s.length === 4 || isRealDate(year, Number(s.slice(5, 7)), Number(s.slice(8, 10)));
	}, 'invalid birth date');

export const phoneSchema = z.string().refine((s) => normalizePhone(s) === s, 'invalid phone');
export const idNumberSchema = z.string().refine((s) => idNumber.normalize(s) === s && idNumber.isValid(s), 'invalid ID number');
const flagListSchema = z.array(z.enum(flags)).max(flags.length);

export const memberSchema = z.object({
	id: idSchema,
	name: z.string().trim().min(1).max(40),
	relation: z.enum(relations),
	sex: z.enum(sexes),
	birth: birthSchema,
	phone: phoneSchema.optional(),
	idNumber: idNumberSchema.optional(),
	residence: z.enum(residenceStatuses),
	flags: flagListSchema.default([])
});

export const householdSchema = z.object({
	v: z.literal(1),
	id: idSchema,
	doorId: idSchema,
	occupancy: z.enum(occupancies),
	phone: phoneSchema.optional(),
	members: z.array(memberSchema).max(30),
	passCards: z.number().int().min(0).max(20).default(0),
	flags: flagListSchema.default([]),
	notes: z.string().max(2000).default('')
});

export type Member = z.output<typeof memberSchema>;
export type Household = z.output<typeof householdSchema>;

/** The household id of a door: deterministic, so two workers who open an empty door offline edit one file. */
export function householdIdOf(doorId: string): string {
	return `h-${doorId}`;
}

/** The name shown for a household: its head, else its first member. */
export function headName(household: Pick<Household, 'members'>): string | undefined {
	return (household.members.find((m) => m.relation === 'head') ?? household.members[0])?.name;
}

/** Every flag of a household and its members, once each, in the canonical order. */
export function allFlags(household: Pick<Household, 'flags' | 'members'>): Flag[] {
	const set = new Set<Flag>([...household.flags, ...household.members.flatMap((m) => m.flags)]);
	return flags.filter((f) => set.has(f));
}

// ---- field paths and their values -------------------------------------------------------------

const optionalText = (schema: z.ZodType<string>) => z.union([schema, z.literal('')]);

const householdFieldValues = {
	occupancy: z.enum(occupancies),
	phone: optionalText(phoneSchema),
	passCards: z.number().int().min(0).max(20),
	notes: z.string().max(2000)
} as const;

const memberFieldValues = {
	name: z.string().trim().min(1).max(40),
	relation: z.enum(relations),
	sex: z.enum(sexes),
	birth: birthSchema,
	phone: optionalText(phoneSchema),
	idNumber: optionalText(idNumberSchema),
	residence: z.enum(residenceStatuses),
	removed: z.boolean()
} as const;

export type HouseholdField = keyof typeof householdFieldValues;
export type MemberField = keyof typeof memberFieldValues;
export const householdFields = Object.keys(householdFieldValues) as HouseholdField[];
export const memberFields = Object.keys(memberFieldValues) as MemberField[];

export type FieldPath =
	| { scope: 'household'; field: HouseholdField }
	| { scope: 'household'; flag: Flag }
	| { scope: 'member'; memberId: string; field: MemberField }
	| { scope: 'member'; memberId: string; flag: Flag };

const fieldPattern = /^(?:member\.([A-Za-z0-9_-]{1,64})\.)?(?:flag\.([a-z_]+)|([a-zA-Z]+))$/;

export function parseFieldPath(path: string): FieldPath | null {
	const match = fieldPattern.exec(path);
	if (!match) return null;
	const [, memberId, flag, field] = match;
	if (flag !== undefined) {
		if (!(flags as readonly string[]).includes(flag)) return null;
		return memberId ? { scope: 'member', memberId, flag: flag as Flag } : { scope: 'household', flag: flag as Flag };
	}
	// Own keys only: `in` would also accept `toString`, `constructor`… from Object.prototype.
	if (memberId) return Object.hasOwn(memberFieldValues, field) ? { scope: 'member', memberId, field: field as MemberField } : null;
	return Object.hasOwn(householdFieldValues, field) ? { scope: 'household', field: field as HouseholdField } : null;
}

export function fieldPath(path: FieldPath): string {
	const leaf = 'flag' in path ? `flag.${path.flag}` : path.field;
	return path.scope === 'member' ? `member.${path.memberId}.${leaf}` : leaf;
}

/** The schema a value written to `path` must fit, or null for a path that does not exist. */
export function fieldValueSchema(path: string): z.ZodType | null {
	const parsed = parseFieldPath(path);
	if (!parsed) return null;
	if ('flag' in parsed) return z.boolean();
	return parsed.scope === 'member' ? memberFieldValues[parsed.field] : householdFieldValues[parsed.field];
}

// ---- deriving the current file ----------------------------------------------------------------

/** The current value of each edited field path, as reduced from the event log. */
export type FieldValues = ReadonlyMap<string, unknown>;

const emptyMember = (id: string): Member => ({
	id,
	name: '',
	relation: 'other',
	sex: 'male',
	birth: '',
	residence: 'registered',
	flags: []
});

function setFlag(list: readonly Flag[], flag: Flag, on: boolean): Flag[] {
	const set = new Set(list);
	if (on) set.add(flag);
	else set.delete(flag);
	return flags.filter((f) => set.has(f));
}

/**
 * The household as it stands: the base record with every field edit applied. Members added by
 * edits follow the base members in the order their ids first appear; removed members are left out.
 * Pure: the same base and values always give the same household.
 */
export function applyFieldValues(base: Household | undefined, doorId: string, values: FieldValues): Household {
	const household: Household = base
		? { ...base, members: base.members.map((m) => ({ ...m })) }
		: { v: 1, id: householdIdOf(doorId), doorId, occupancy: 'lived_in', members: [], passCards: 0, flags: [], notes: '' };
	const members = new Map(household.members.map((m) => [m.id, m]));
	const removed = new Set<string>();
	for (const [path, value] of [...values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		const parsed = parseFieldPath(path);
		if (!parsed) continue;
		if (parsed.scope === 'household') {
			if ('flag' in parsed) household.flags = setFlag(household.flags, parsed.flag, value === true);
			else Object.assign(household, { [parsed.field]: value === '' ? undefined : value });
			continue;
		}
		let member = members.get(parsed.memberId);
		if (!member) members.set(parsed.memberId, (member = emptyMember(parsed.memberId)));
		if ('flag' in parsed) member.flags = setFlag(member.flags, parsed.flag, value === true);
		else if (parsed.field === 'removed') {
			if (value === true) removed.add(parsed.memberId);
		} else Object.assign(member, { [parsed.field]: value === '' ? undefined : value });
	}
	household.members = [...members.values()].filter((m) => !removed.has(m.id));
	if (household.notes === undefined) household.notes = '';
	return household;
}
