import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as needs from '$lib/domain/needs';
import * as events from '$lib/domain/events';
import * as hlc from '$lib/domain/hlc';
import type { Need, NeedFields, NeedStatus, Urgency } from '$lib/domain/needs';
import { HOUSEHOLD, NEED, T, need, needCreated, needEvent } from '../fixtures/household';

const stamp = (wall: number, node = 'phone-a') => hlc.encode({ wall, counter: 0, node });

function fields(init: { status?: NeedStatus; statusBy?: string; urgency?: Urgency; statusAt?: number; urgencyAt?: number } = {}): NeedFields {
	return {
		id: NEED,
		created: {
			value: { householdId: HOUSEHOLD, kind: 'medical', urgency: 'today', description: '老人摔倒，腿疼' },
			user: 'wang',
			hlc: stamp(T)
		},
		...(init.status && { status: { value: { status: init.status, note: '' }, user: init.statusBy ?? 'li', hlc: stamp(init.statusAt ?? T + 1000, 'phone-b') } }),
		...(init.urgency && { urgency: { value: init.urgency, user: 'zhao', hlc: stamp(init.urgencyAt ?? T + 2000, 'phone-c') } })
	};
}

describe('nextStatuses', () => {
	test.each<[NeedStatus, NeedStatus[]]>([
		['open', ['in_hand', 'done']],
		['in_hand', ['done', 'open']],
		['done', ['open']]
	])('from %s a person may go to %j', (from, to) => {
		expect(needs.nextStatuses(from)).toEqual(to);
	});

	test('no status leads to itself, and every status can be reached from another', () => {
		for (const s of needs.needStatuses) expect(needs.nextStatuses(s)).not.toContain(s);
		const reachable = new Set(needs.needStatuses.flatMap((s) => needs.nextStatuses(s)));
		expect([...reachable].sort()).toEqual([...needs.needStatuses].sort());
	});

	test('concurrent status changes rank done above in hand above open', () => {
		expect(needs.statusRank.done).toBeGreaterThan(needs.statusRank.in_hand);
		expect(needs.statusRank.in_hand).toBeGreaterThan(needs.statusRank.open);
	});
});

describe('deriveNeed', () => {
	test('a need with only its creation is open, taken by nobody, and has the urgency it was created with', () => {
		expect(needs.deriveNeed(fields())).toEqual({
			id: NEED,
			householdId: HOUSEHOLD,
			kind: 'medical',
			urgency: 'today',
			description: '老人摔倒，腿疼',
			status: 'open',
			createdBy: 'wang',
			createdAt: T,
			takenBy: undefined,
			updatedAt: T
		});
	});

	test.each<[NeedStatus, string | undefined]>([
		['in_hand', 'li'],
		['done', 'li'],
		['open', undefined]
	])('status %s: taken by %s', (status, takenBy) => {
		const derived = needs.deriveNeed(fields({ status, statusBy: 'li' }));
		expect(derived.status).toBe(status);
		expect(derived.takenBy).toBe(takenBy);
		expect(derived.createdBy).toBe('wang');
	});

	test('a later urgency overrides the one it was created with', () => {
		expect(needs.deriveNeed(fields({ urgency: 'urgent' })).urgency).toBe('urgent');
		expect(needs.deriveNeed(fields({ urgency: 'this_week' })).urgency).toBe('this_week');
	});

	test('updatedAt is the latest of creation, status and urgency; createdAt stays the creation time', () => {
		const derived = needs.deriveNeed(fields({ status: 'in_hand', statusAt: T + 5000, urgency: 'urgent', urgencyAt: T + 3000 }));
		expect(derived.createdAt).toBe(T);
		expect(derived.updatedAt).toBe(T + 5000);
		expect(needs.deriveNeed(fields({ status: 'done', statusAt: T + 1000, urgency: 'urgent', urgencyAt: T + 9000 })).updatedAt).toBe(T + 9000);
	});
});

describe('byUrgency', () => {
	test('not-done needs first; then urgent, today, this week; then oldest first', () => {
		const list: Need[] = [
			need({ id: 'a', status: 'done', urgency: 'urgent', createdAt: T }),
			need({ id: 'b', status: 'open', urgency: 'this_week', createdAt: T }),
			need({ id: 'c', status: 'in_hand', urgency: 'today', createdAt: T + 2 }),
			need({ id: 'd', status: 'open', urgency: 'today', createdAt: T + 1 }),
			need({ id: 'e', status: 'open', urgency: 'urgent', createdAt: T + 9 }),
			need({ id: 'f', status: 'done', urgency: 'this_week', createdAt: T - 5 }),
			need({ id: 'g', status: 'in_hand', urgency: 'urgent', createdAt: T + 3 })
		];
		expect([...list].sort(needs.byUrgency).map((n) => n.id)).toEqual(['g', 'e', 'd', 'c', 'b', 'a', 'f']);
		expect([...list].reverse().sort(needs.byUrgency).map((n) => n.id)).toEqual(['g', 'e', 'd', 'c', 'b', 'a', 'f']);
	});

	test('in hand and open needs are not separated: both are still to do', () => {
		const open = need({ id: 'x', status: 'open', createdAt: T });
		const inHand = need({ id: 'y', status: 'in_hand', createdAt: T + 1 });
		expect([inHand, open].sort(needs.byUrgency).map((n) => n.id)).toEqual(['x', 'y']);
	});

	test('ties are broken by id, so the order never depends on the input order', () => {
		const a = need({ id: 'a' });
		const b = need({ id: 'b' });
		expect([b, a].sort(needs.byUrgency)).toEqual([a, b]);
	});

	test('sorting any list of needs gives the order of the rule, whatever the input order', () => {
		const arbNeed = fc.record({
			status: fc.constantFrom(...needs.needStatuses),
			urgency: fc.constantFrom(...needs.urgencies),
			createdAt: fc.integer({ min: T, max: T + 5 })
		});
		const rank: Record<Urgency, number> = { urgent: 0, today: 1, this_week: 2 };
		fc.assert(
			fc.property(fc.array(arbNeed, { maxLength: 20 }), fc.func(fc.integer()), (inits, key) => {
				const list = inits.map((init, i) => need({ id: `n${String(i).padStart(2, '0')}`, ...init }));
				const sorted = [...list].sort(needs.byUrgency);
				const shuffled = [...list].sort((a, b) => key(a.id) - key(b.id)).sort(needs.byUrgency);
				expect(shuffled).toEqual(sorted);
				for (let i = 1; i < sorted.length; i++) {
					const [p, q] = [sorted[i - 1], sorted[i]];
					const pk = [Number(p.status === 'done'), rank[p.urgency], p.createdAt, p.id] as const;
					const qk = [Number(q.status === 'done'), rank[q.urgency], q.createdAt, q.id] as const;
					const firstDiff = pk.findIndex((v, j) => v !== qk[j]);
					expect(firstDiff).toBeGreaterThanOrEqual(0);
					expect(pk[firstDiff] < qk[firstDiff], `${p.id} before ${q.id}`).toBe(true);
				}
			})
		);
	});
});

describe('needEventSchema', () => {
	const raw = (field: string, value: unknown) => ({
		v: 1,
		id: 'e1',
		kind: 'need',
		entity: NEED,
		field,
		value,
		user: 'wang',
		device: 'phone-a',
		hlc: stamp(T),
		supersedes: []
	});
	const accepts = (field: string, value: unknown) => events.needEventSchema.safeParse(raw(field, value)).success;

	test('accepts a creation, a status change and an urgency change', () => {
		expect(accepts('created', needCreated())).toBe(true);
		for (const kind of needs.needKinds) expect(accepts('created', needCreated({ kind }))).toBe(true);
		for (const status of needs.needStatuses) expect(accepts('status', { status, note: '已送药' })).toBe(true);
		expect(accepts('status', { status: 'done' })).toBe(true);
		for (const urgency of needs.urgencies) expect(accepts('urgency', urgency)).toBe(true);
		expect(() => needEvent({ id: 'e1', field: 'created', value: needCreated() })).not.toThrow();
	});

	test.each<[string, string, unknown]>([
		['an empty description', 'created', needCreated({ description: '' })],
		['a blank description', 'created', needCreated({ description: '   ' })],
		['a description over 500 characters', 'created', needCreated({ description: '药'.repeat(501) })],
		['no description', 'created', { householdId: HOUSEHOLD, kind: 'medical', urgency: 'today' }],
		['an unknown kind', 'created', needCreated({ kind: 'food' })],
		['an unknown urgency in the creation', 'created', needCreated({ urgency: 'asap' })],
		['a bad household id', 'created', needCreated({ householdId: 'h 1' })],
		['an extra key in the creation', 'created', { ...needCreated(), assignee: 'li' }],
		['an unknown status', 'status', { status: 'closed' }],
		['a status as a bare string', 'status', 'done'],
		['a status note over 500 characters', 'status', { status: 'done', note: 'x'.repeat(501) }],
		['an extra key in a status change', 'status', { status: 'done', by: 'li' }],
		['an unknown urgency', 'urgency', 'asap'],
		['an urgency as an object', 'urgency', { urgency: 'urgent' }],
		['an unknown field', 'assignee', 'li'],
		['a field inherited from Object.prototype', 'constructor', 'x'],
		['a creation value under the status field', 'status', needCreated()]
	])('refuses %s', (_, field, value) => {
		expect(accepts(field, value)).toBe(false);
		expect(() => needEvent({ id: 'e1', field: field as needs.NeedField, value })).toThrow();
	});
});
