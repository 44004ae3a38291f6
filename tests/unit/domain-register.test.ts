import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as register from '$lib/domain/register';
import * as events from '$lib/domain/events';
import * as hlc from '$lib/domain/hlc';
import type { FieldState, HouseholdEvent, LogEvent, NeedEvent } from '$lib/domain/events';
import type { Household } from '$lib/domain/household';
import { DOOR, HOUSEHOLD, NEED, T, baseHousehold, member, needCreated } from '../fixtures/household';

/** The household every device starts from: what the coordinator imported before anyone went out. */
const BASE = baseHousehold({
	phone: '13800138000',
	flags: ['elderly_only'],
	members: [
		member({ id: 'm1', name: '王秀英', relation: 'head', phone: '13900139000' }),
		member({ id: 'm2', name: '李建国', relation: 'spouse', sex: 'male', birth: '1948' })
	]
});

/**
 * The fields devices edit, each with a few values, so that concurrent edits often agree and
 * often differ. Includes a member that exists only through edits (n1) and a member's removal.
 */
const EDITS: Record<string, fc.Arbitrary<unknown>> = {
	occupancy: fc.constantFrom('lived_in', 'empty', 'rented_out'),
	phone: fc.constantFrom('', '13800138000', '13700137000', '010-12345678'),
	passCards: fc.integer({ min: 0, max: 3 }),
	notes: fc.constantFrom('', '独居', '需上门送药'),
	'flag.bedridden': fc.boolean(),
	'flag.elderly_only': fc.boolean(),
	'member.m1.name': fc.constantFrom('王秀英', '王秀瑛'),
	'member.m1.phone': fc.constantFrom('', '13900139000', '15912345678'),
	'member.m2.removed': fc.boolean(),
	'member.m2.flag.chronic_medication': fc.boolean(),
	'member.n1.name': fc.constantFrom('李小宝', '李晓宝'),
	'member.n1.birth': fc.constantFrom('2023', '2023-05-01'),
	'member.n1.relation': fc.constantFrom('grandchild', 'child')
};
const FIELDS = Object.keys(EDITS);

interface Device {
	name: string;
	user: string;
	clock: hlc.Clock;
	/** This phone's own wall clock, ms: devices disagree by up to an hour. */
	now: number;
	/** Events this device holds, in the order it got them. */
	events: Map<string, LogEvent>;
	seq: number;
}

function device(i: number, skew = 0): Device {
	const name = `phone-${i}`;
	return { name, user: `worker${i}`, clock: hlc.create(name), now: T + skew, events: new Map(), seq: 0 };
}

const fileOf = (list: Iterable<LogEvent>, base: Household[] = [BASE]) =>
	register.deriveRegister(base, [...list]).households.get(HOUSEHOLD)!;

/**
 * A household field edit on a device, as the file screen makes it: superseding whatever this
 * device currently shows for the field (all of its heads, so a pick resolves a conflict).
 */
function edit(d: Device, field: string, value: unknown, advance = 1000): HouseholdEvent {
	d.now += advance;
	const seen = fileOf(d.events.values()).fields.get(field);
	const { event, clock } = events.createEvent<HouseholdEvent>(
		{ kind: 'household', entity: HOUSEHOLD, field, value, user: d.user, seen },
		d.clock,
		d.now,
		`${d.name}-${d.seq++}`
	);
	d.clock = clock;
	d.events.set(event.id, event);
	return event;
}

function needStep(d: Device, field: 'created' | 'status' | 'urgency', value: unknown, entity = NEED): NeedEvent {
	d.now += 1000;
	const seen = register.deriveRegister([BASE], [...d.events.values()]).needs.get(entity)?.fields.get(field);
	const { event, clock } = events.createEvent<NeedEvent>(
		{ kind: 'need', entity, field, value, user: d.user, seen },
		d.clock,
		d.now,
		`${d.name}-${d.seq++}`
	);
	d.clock = clock;
	d.events.set(event.id, event);
	return event;
}

/** Sends everything `from` holds to `to`, as a sync would (the receiver keeps what it had). */
function sync(from: Device, to: Device) {
	for (const e of from.events.values()) if (!to.events.has(e.id)) to.events.set(e.id, e);
}

/** Every device gets every event. */
function exchange(devices: Device[]) {
	for (const a of devices) for (const b of devices) sync(a, b);
}

const SKIP = Symbol('member removed');

/**
 * What the derived household shows for a field path, read straight off the record (not through
 * household.ts): '' for a cleared optional field, a flag as on/off, `removed` as the member's absence.
 */
function shown(h: Household, path: string): unknown {
	const parts = path.split('.');
	if (parts[0] === 'member') {
		const m = h.members.find((x) => x.id === parts[1]);
		if (parts[2] === 'removed') return m === undefined;
		if (!m) return SKIP;
		if (parts[2] === 'flag') return m.flags.includes(parts[3] as never);
		return (m as Record<string, unknown>)[parts[2]] ?? '';
	}
	if (parts[0] === 'flag') return h.flags.includes(parts[1] as never);
	return (h as Record<string, unknown>)[path] ?? '';
}

const json = (v: unknown) => JSON.stringify(v);

/** Heads by definition: the events of a field that no event of that field supersedes. Independent of `reduce`. */
function expectedHeads(all: readonly HouseholdEvent[], field: string): HouseholdEvent[] {
	const group = all.filter((e) => e.field === field);
	return group.filter((e) => !group.some((other) => other.supersedes.includes(e.id)));
}

/** A seeded permutation of the events with some of them sent twice (as JSON copies, as from the wire). */
function reshuffle<E>(list: readonly E[], seed: number): E[] {
	let s = seed >>> 0 || 1;
	const random = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 2 ** 32);
	const out = [...list, ...list.filter(() => random() < 0.3).map((e) => JSON.parse(JSON.stringify(e)) as E)];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

type Op =
	| { type: 'edit'; device: number; field: string; value: unknown; advance: number }
	| { type: 'sync'; from: number; to: number };

const arbEdit: fc.Arbitrary<Op> = fc
	.record({
		device: fc.nat(3),
		// A few fields edited more often than the rest, so that devices often meet on one field.
		field: fc.oneof({ arbitrary: fc.constantFrom(...FIELDS), weight: 2 }, { arbitrary: fc.constantFrom('phone', 'member.m1.name', 'member.m2.removed'), weight: 1 }),
		advance: fc.integer({ min: 0, max: 120_000 })
	})
	.chain((op) => EDITS[op.field].map((value) => ({ type: 'edit' as const, ...op, value })));
const arbSync: fc.Arbitrary<Op> = fc.record({ type: fc.constant('sync' as const), from: fc.nat(3), to: fc.nat(3) });

const arbScenario = fc.record({
	devices: fc.integer({ min: 2, max: 4 }),
	skews: fc.array(fc.integer({ min: -3_600_000, max: 3_600_000 }), { minLength: 4, maxLength: 4 }),
	/** Mostly offline edits; an occasional partial sync between two phones makes deeper histories. */
	ops: fc.array(fc.oneof({ arbitrary: arbEdit, weight: 5 }, { arbitrary: arbSync, weight: 1 }), { minLength: 2, maxLength: 30 }),
	seeds: fc.array(fc.integer(), { minLength: 3, maxLength: 3 }),
	resolver: fc.nat(3),
	picks: fc.array(fc.nat(), { minLength: FIELDS.length, maxLength: FIELDS.length })
});

type Scenario = typeof arbScenario extends fc.Arbitrary<infer S> ? S : never;

/** Runs the edits and partial syncs of a scenario on its devices, then gives every device every event. */
function run(scenario: Scenario) {
	const devices = Array.from({ length: scenario.devices }, (_, i) => device(i, scenario.skews[i]));
	for (const op of scenario.ops) {
		if (op.type === 'edit') edit(devices[op.device % devices.length], op.field, op.value, op.advance);
		else sync(devices[op.from % devices.length], devices[op.to % devices.length]);
	}
	exchange(devices);
	return devices;
}

describe('merging household edits from devices that worked offline (property)', () => {
	test('every device, and any order and duplication of the events, derives the same household files', () => {
		fc.assert(
			fc.property(arbScenario, (scenario) => {
				const devices = run(scenario);
				const reference = register.deriveRegister([BASE], [...devices[0].events.values()]).households;
				for (const d of devices) expect(register.deriveRegister([BASE], [...d.events.values()]).households).toEqual(reference);
				const union = [...devices[0].events.values()];
				for (const seed of scenario.seeds) expect(register.deriveRegister([BASE], reshuffle(union, seed)).households).toEqual(reference);
			}),
			{ numRuns: 150 }
		);
	});

	test('nothing is silently dropped: every unsuperseded value is the current value or one of the conflict heads, and the household shows the current values', () => {
		fc.assert(
			fc.property(arbScenario, (scenario) => {
				const union = [...run(scenario)[0].events.values()] as HouseholdEvent[];
				const file = fileOf(union);
				expect(file.history.map((e) => e.id).sort()).toEqual(union.map((e) => e.id).sort());
				for (const field of new Set(union.map((e) => e.field))) {
					const state = file.fields.get(field)!;
					const conflict = file.conflicts.find((c) => c.field === field);
					for (const head of expectedHeads(union, field)) {
						const kept =
							json(head.value) === json(state.current.value) ||
							(conflict?.heads.some((h) => h.id === head.id && json(h.value) === json(head.value) && h.user === head.user) ?? false);
						expect(kept, `${field}: ${head.id} ${json(head.value)}`).toBe(true);
					}
					const value = shown(file.household, field);
					if (value !== SKIP) expect(value, field).toEqual(state.current.value);
				}
			}),
			{ numRuns: 150 }
		);
	});

	test('a conflict is reported for a field iff two unsuperseded edits of it hold different values, listing every such edit', () => {
		let runsWithConflicts = 0;
		fc.assert(
			fc.property(arbScenario, (scenario) => {
				const union = [...run(scenario)[0].events.values()] as HouseholdEvent[];
				const file = fileOf(union);
				const expected = [...new Set(union.map((e) => e.field))]
					.filter((field) => new Set(expectedHeads(union, field).map((e) => json(e.value))).size >= 2)
					.sort();
				expect(file.conflicts.map((c) => c.field)).toEqual(expected);
				for (const c of file.conflicts) {
					expect(c.heads.map((h) => h.id).sort()).toEqual(expectedHeads(union, c.field).map((e) => e.id).sort());
				}
				if (expected.length > 0) runsWithConflicts++;
			}),
			{ numRuns: 200 }
		);
		// The generator is only useful if it makes conflicts often enough.
		expect(runsWithConflicts).toBeGreaterThan(40);
	});

	test('after one device picks a value for each conflict, seeing all heads, the conflicts are gone and every device shows the picked values', () => {
		fc.assert(
			fc.property(arbScenario, (scenario) => {
				const devices = run(scenario);
				const resolver = devices[scenario.resolver % devices.length];
				const conflicts = fileOf(resolver.events.values()).conflicts;
				const picked = new Map<string, unknown>();
				conflicts.forEach((c, i) => {
					const value = c.heads[scenario.picks[FIELDS.indexOf(c.field)] % c.heads.length].value;
					picked.set(c.field, value);
					edit(resolver, c.field, value);
					expect(fileOf(resolver.events.values()).conflicts.map((x) => x.field)).not.toContain(c.field);
					expect(fileOf(resolver.events.values()).conflicts).toHaveLength(conflicts.length - i - 1);
				});
				exchange(devices);
				const files = devices.map((d) => fileOf(reshuffle([...d.events.values()], scenario.seeds[0])));
				for (const file of files) {
					expect(file.conflicts).toEqual([]);
					for (const [field, value] of picked) {
						expect(file.fields.get(field)!.current.value).toEqual(value);
						const seen = shown(file.household, field);
						if (seen !== SKIP) expect(seen).toEqual(value);
					}
					expect(file).toEqual(files[0]);
				}
			}),
			{ numRuns: 150 }
		);
	});
});

describe('merging household edits, by example', () => {
	test('two devices change different fields of one household offline: both changes are kept, no conflict', () => {
		const [a, b] = [device(0), device(1, -600_000)];
		edit(a, 'phone', '13700137000');
		edit(b, 'member.m1.name', '王秀瑛');
		edit(b, 'flag.bedridden', true);
		exchange([a, b]);
		for (const d of [a, b]) {
			const file = fileOf(d.events.values());
			expect(file.conflicts).toEqual([]);
			expect(file.household.phone).toBe('13700137000');
			expect(file.household.members[0].name).toBe('王秀瑛');
			expect(file.household.flags).toEqual(['elderly_only', 'bedridden']);
			expect(file.history.map((e) => e.user)).toEqual(['worker1', 'worker1', 'worker0']);
		}
	});

	test('two devices set one field to different values offline: a conflict with both values and who set them', () => {
		const [a, b] = [device(0), device(1, 60_000)];
		const wang = edit(a, 'member.m1.phone', '15912345678');
		const li = edit(b, 'member.m1.phone', '13700137000');
		exchange([a, b]);
		const file = fileOf(a.events.values());
		expect(file.conflicts).toEqual([
			{
				field: 'member.m1.phone',
				heads: [
					{ id: li.id, value: '13700137000', user: 'worker1', hlc: li.hlc },
					{ id: wang.id, value: '15912345678', user: 'worker0', hlc: wang.hlc }
				]
			}
		]);
		// Shown meanwhile: the later of the two; the other is not lost.
		expect(file.household.members[0].phone).toBe('13700137000');
		expect(fileOf(b.events.values())).toEqual(file);
	});

	test('two devices set one field to the same value offline: no conflict', () => {
		const [a, b] = [device(0), device(1)];
		edit(a, 'occupancy', 'rented_out');
		edit(b, 'occupancy', 'rented_out');
		exchange([a, b]);
		const file = fileOf(a.events.values());
		expect(file.conflicts).toEqual([]);
		expect(file.fields.get('occupancy')!.heads).toHaveLength(2);
		expect(file.household.occupancy).toBe('rented_out');
	});

	test('an edit made after seeing the other device’s edit replaces it, even from a phone whose clock is an hour behind', () => {
		const [a, b] = [device(0), device(1, -3_600_000)];
		edit(a, 'notes', '独居');
		sync(a, b);
		const later = edit(b, 'notes', '女儿每周来');
		exchange([a, b]);
		const file = fileOf(a.events.values());
		expect(file.conflicts).toEqual([]);
		expect(file.household.notes).toBe('女儿每周来');
		expect(file.history.at(-1)).toEqual(later);
	});

	test('picking one value of a conflict resolves it on every device', () => {
		const [a, b, coordinator] = [device(0), device(1), device(2)];
		edit(a, 'passCards', 2);
		edit(b, 'passCards', 3);
		exchange([a, b, coordinator]);
		expect(fileOf(coordinator.events.values()).conflicts).toHaveLength(1);
		edit(coordinator, 'passCards', 2);
		exchange([a, b, coordinator]);
		for (const d of [a, b, coordinator]) {
			const file = fileOf(d.events.values());
			expect(file.conflicts).toEqual([]);
			expect(file.household.passCards).toBe(2);
			expect(file.history).toHaveLength(3);
		}
	});

	test('one device removes a member while another edits it: the member stays removed and the edit stays in history', () => {
		const [a, b] = [device(0), device(1)];
		edit(a, 'member.m2.removed', true);
		const rename = edit(b, 'member.m2.name', '李建军');
		exchange([a, b]);
		const file = fileOf(a.events.values());
		expect(file.household.members.map((m) => m.id)).toEqual(['m1']);
		expect(file.conflicts).toEqual([]);
		expect(file.history).toContainEqual(rename);
	});

	test('edits to a door with no base record make a household file for that door', () => {
		const a = device(0);
		edit(a, 'occupancy', 'empty');
		const file = fileOf(a.events.values(), []);
		expect(file.household).toMatchObject({ id: HOUSEHOLD, doorId: DOOR, occupancy: 'empty', members: [] });
	});

	test('a base household with no edits is listed as it is, with no fields, conflicts or history', () => {
		expect(fileOf([])).toEqual({ household: BASE, fields: new Map(), conflicts: [], history: [] });
	});
});

describe('needs in the register, by example', () => {
	test('a need taken by one worker and marked done by another concurrently is done, with both steps in history', () => {
		const [a, b, c] = [device(0, -600_000), device(1), device(2, -300_000)];
		const created = needStep(a, 'created', needCreated({ urgency: 'urgent' }));
		exchange([a, b, c]);
		const taken = needStep(b, 'status', { status: 'in_hand', note: '' });
		// c's phone is five minutes behind, so its "done" is even stamped before b's "in hand".
		const done = needStep(c, 'status', { status: 'done', note: '药已送到' });
		expect(done.hlc < taken.hlc).toBe(true);
		exchange([a, b, c]);
		for (const d of [a, b, c]) {
			const file = register.deriveRegister([BASE], [...d.events.values()]).needs.get(NEED)!;
			expect(file.need).toMatchObject({ status: 'done', takenBy: 'worker2', createdBy: 'worker0', urgency: 'urgent', householdId: HOUSEHOLD });
			expect(file.history.map((e) => e.id)).toEqual([created.id, done.id, taken.id]);
			expect((file.fields.get('status') as FieldState<NeedEvent>).heads.map((e) => e.id)).toEqual([done.id, taken.id]);
		}
	});

	test('a worker who saw "done" may reopen the need', () => {
		const [a, b] = [device(0), device(1)];
		needStep(a, 'created', needCreated());
		needStep(a, 'status', { status: 'done', note: '' });
		sync(a, b);
		needStep(b, 'status', { status: 'open', note: '还没送到' });
		exchange([a, b]);
		const file = register.deriveRegister([BASE], [...a.events.values()]).needs.get(NEED)!;
		expect(file.need.status).toBe('open');
		expect(file.need.takenBy).toBeUndefined();
		expect(file.history).toHaveLength(3);
	});

	test('a later urgency change is shown instead of the urgency the need was created with', () => {
		const a = device(0);
		needStep(a, 'created', needCreated({ urgency: 'this_week' }));
		needStep(a, 'urgency', 'urgent');
		expect(register.deriveRegister([], [...a.events.values()]).needs.get(NEED)!.need.urgency).toBe('urgent');
	});

	test('a status change whose need creation has not arrived yet is not listed, until it arrives', () => {
		const [a, b] = [device(0), device(1)];
		const created = needStep(a, 'created', needCreated());
		sync(a, b);
		const taken = needStep(b, 'status', { status: 'in_hand', note: '' });
		expect(register.deriveRegister([BASE], [taken]).needs.size).toBe(0);
		const file = register.deriveRegister([BASE], [taken, created]).needs.get(NEED)!;
		expect(file.need).toMatchObject({ status: 'in_hand', takenBy: 'worker1' });
	});

	test('needs and household edits of the same register do not mix', () => {
		const a = device(0);
		needStep(a, 'created', needCreated());
		edit(a, 'notes', '有需求');
		const state = register.deriveRegister([BASE], [...a.events.values()]);
		expect([...state.needs.keys()]).toEqual([NEED]);
		expect(state.households.get(HOUSEHOLD)!.history.map((e) => e.field)).toEqual(['notes']);
		expect(state.needs.get(NEED)!.history.map((e) => e.field)).toEqual(['created']);
	});
});
