/**
 * Household file (一户一档): who lives behind a door and how to reach them.
 * Foundation scope: the fields the demo community and the door grid need; the register issue
 * adds editing through events.
 */
import { z } from 'zod';
import { idSchema } from './places';

export const occupancies = ['lived_in', 'empty', 'rented_out', 'shop', 'other'] as const;
export const relations = ['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'tenant', 'other'] as const;
export const residenceStatuses = ['registered', 'long_term', 'temporary', 'accompanying_student'] as const;

export const memberSchema = z.object({
	id: idSchema,
	name: z.string().min(1).max(40),
	relation: z.enum(relations),
	sex: z.enum(['male', 'female']),
	birthYear: z.number().int().min(1900).max(2100),
	phone: z.string().max(20).optional(),
	idNumber: z.string().max(18).optional(),
	residence: z.enum(residenceStatuses)
});

export const householdSchema = z.object({
	v: z.literal(1),
	id: idSchema,
	doorId: idSchema,
	occupancy: z.enum(occupancies),
	phone: z.string().max(20).optional(),
	members: z.array(memberSchema).max(30),
	notes: z.string().max(2000).default('')
});

export type Occupancy = (typeof occupancies)[number];
export type Member = z.output<typeof memberSchema>;
export type Household = z.output<typeof householdSchema>;

/** The name shown for a household: its head, else its first member. */
export function headName(household: Household): string | undefined {
	return (household.members.find((m) => m.relation === 'head') ?? household.members[0])?.name;
}
