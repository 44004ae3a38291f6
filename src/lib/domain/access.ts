/**
 * Who may open which sync document, and whether to write it.
 *
 * One function decides, shared by the server (per-connection authorization and `/api/me`) and
 * the client (which documents to open), so the two can never disagree.
 *
 * Documents of a community:
 * - `${communityId}/index` — places, grids, assignments. Coordinators write; everyone in the
 *   community reads.
 * - `${communityId}/register/${gridId}` — one grid's households and visit events. Coordinators
 *   and the grid's workers write; testers and volunteers of the grid read.
 */
import { z } from 'zod';
import { idSchema } from './places';

export const roles = ['coordinator', 'grid_worker', 'tester', 'volunteer'] as const;
export type Role = (typeof roles)[number];

export const scopeSchema = z.strictObject({
	communityId: idSchema,
	/** Grids the user works in; a coordinator's scope is the whole community. */
	gridIds: z.array(idSchema).max(500)
});

export const userSchema = z.strictObject({
	username: z.string().regex(/^[a-z0-9_.-]{2,32}$/),
	displayName: z.string().min(1).max(40),
	role: z.enum(roles),
	scope: scopeSchema,
	disabled: z.boolean().default(false)
});

export type Scope = z.output<typeof scopeSchema>;
export type User = z.output<typeof userSchema>;
export type Access = 'read' | 'write';

export type DocumentRef =
	| { kind: 'index'; communityId: string }
	| { kind: 'register'; communityId: string; gridId: string };

export function documentName(ref: DocumentRef): string {
	return ref.kind === 'index' ? `${ref.communityId}/index` : `${ref.communityId}/register/${ref.gridId}`;
}

const namePattern = /^([A-Za-z0-9_-]{1,64})\/(?:(index)|register\/([A-Za-z0-9_-]{1,64}))$/;

export function parseDocumentName(name: string): DocumentRef | null {
	const match = namePattern.exec(name);
	if (!match) return null;
	const [, communityId, index, gridId] = match;
	return index ? { kind: 'index', communityId } : { kind: 'register', communityId, gridId };
}

/** The access a user has to a document, or null when it is outside their scope. */
export function accessTo(user: User, ref: DocumentRef): Access | null {
	if (user.disabled || ref.communityId !== user.scope.communityId) return null;
	if (user.role === 'coordinator') return 'write';
	if (ref.kind === 'index') return 'read';
	if (!user.scope.gridIds.includes(ref.gridId)) return null;
	return user.role === 'grid_worker' ? 'write' : 'read';
}

export interface DocumentGrant {
	name: string;
	ref: DocumentRef;
	access: Access;
}

/**
 * Every document a user may open. `communityGridIds` are the grids that exist in the user's
 * community (a coordinator gets all of them; others only those that exist and are theirs).
 */
export function documentsFor(user: User, communityGridIds: readonly string[]): DocumentGrant[] {
	const communityId = user.scope.communityId;
	const refs: DocumentRef[] = [
		{ kind: 'index', communityId },
		...communityGridIds.map((gridId): DocumentRef => ({ kind: 'register', communityId, gridId }))
	];
	return refs.flatMap((ref) => {
		const access = accessTo(user, ref);
		return access ? [{ name: documentName(ref), ref, access }] : [];
	});
}
