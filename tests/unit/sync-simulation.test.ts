/**
 * No edit lost (issue 4): a seeded simulation of several devices and the server (see
 * support/sim-network.ts), with random edits of every document kind by the roles that make
 * them, messages delivered out of order and twice, disconnects, devices cut off without
 * noticing, server restarts (from its store) and device restarts (from what they persisted).
 * The server judges every incoming change with the real `checkUpdate`.
 *
 * After the network heals and sync settles, every run must end with every replica (devices,
 * the server, and both restarted from their storage) holding the same documents, the live ones
 * deriving the same states (door status, household files, needs, the community index), every
 * event any device created present once, and the only refusals those of a change that arrived
 * before one of its author's it follows, which the device then sends again from the server's
 * state vector when it reconnects.
 *
 * `npm run test:soak` runs many more cases: SIM_RUNS, SIM_SEED; SIM_PATH replays a failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as communityIndex from '../../src/lib/data/community-index-doc';
import * as register from '../../src/lib/data/register-doc';
import { auditTrail } from '../../src/lib/domain/audit';
import { accessTo, documentName, parseDocumentName, type Access, type User } from '../../src/lib/domain/access';
import { createEvent, visitOutcomes, type LogEvent, type NewEvent } from '../../src/lib/domain/events';
import * as hlc from '../../src/lib/domain/hlc';
import { flags, occupancies } from '../../src/lib/domain/household';
import { needKinds, nextStatuses, urgencies } from '../../src/lib/domain/needs';
import { deriveRegister } from '../../src/lib/domain/register';
import { ClientIds, Device, Network, Server } from './support/sim-network';

const COMMUNITY = 'c1';
const GRIDS = ['g1', 'g2'] as const;
const INDEX = documentName({ kind: 'index', communityId: COMMUNITY });
const registerOf = (gridId: string) => documentName({ kind: 'register', communityId: COMMUNITY, gridId });
/** Few ids and names, so edits collide: same doors, same households, same names. */
const DOORS = ['b1-1-101', 'b1-1-102', 'b2-1-101'];
const NAMES = ['东区', '西区', '1号楼', '第1网格'];
const DEPENDS_ON_MISSING = 'depends on changes the server does not have';

const user = (username: string, role: User['role'], gridIds: string[] = []): User => ({
	username,
	displayName: username,
	role,
	scope: { communityId: COMMUNITY, gridIds },
	disabled: false
});
const coordinator = user('coordinator', 'coordinator');
const worker1 = user('worker1', 'grid_worker', ['g1']);
const worker2 = user('worker2', 'grid_worker', ['g2']);
const tester = user('tester1', 'tester', ['g1', 'g2']);

/** A person on a device; two devices of one account are two replicas with their own clocks. */
const people: { device: string; user: User; clockSkew: number }[] = [
	{ device: 'desk', user: coordinator, clockSkew: 0 },
	{ device: 'cphone', user: coordinator, clockSkew: -60_000 },
	{ device: 'w1phone', user: worker1, clockSkew: 5_000 },
	{ device: 'w1pad', user: worker1, clockSkew: -3_600_000 },
	{ device: 'w2phone', user: worker2, clockSkew: 0 },
	{ device: 'tphone', user: tester, clockSkew: 0 }
];

type Op =
	| { t: 'edit'; device: number; what: number; x: number; y: number }
	/** `count` messages, each picked anywhere in flight; `twice`: the first stays in flight too. */
	| { t: 'deliver'; index: number; count: number; twice: boolean }
	| { t: 'tick'; ms: number }
	| { t: 'connect' | 'disconnect' | 'cutOff' | 'reconnect' | 'restartDevice'; device: number }
	| { t: 'restartServer' };

const device = fc.nat(people.length - 1);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 6, arbitrary: fc.record({ t: fc.constant('edit' as const), device, what: fc.nat(99), x: fc.nat(99), y: fc.nat(99) }) },
	{ weight: 10, arbitrary: fc.record({ t: fc.constant('deliver' as const), index: fc.nat(999), count: fc.integer({ min: 1, max: 12 }), twice: fc.boolean() }) },
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('tick' as const), ms: fc.nat(120_000) }) },
	{ weight: 2, arbitrary: fc.record({ t: fc.constantFrom('connect' as const, 'disconnect' as const, 'cutOff' as const, 'reconnect' as const), device }) },
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('restartDevice' as const), device }) },
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('restartServer' as const) }) }
);

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length];

/** The community as the demo seed stores it: two grids, a building each, a household in each grid. */
const seed = new Map<string, Uint8Array>();
{
	const index = new Y.Doc();
	index.clientID = 0;
	communityIndex.change(index, (w) => {
		w.setCommunity({ v: 1, id: COMMUNITY, name: '东风社区' });
		w.putCompound({ v: 1, id: 'cp1', name: '东区' });
		w.putBuilding({ v: 1, id: 'b1', compoundId: 'cp1', name: '1号楼', units: [{ no: 1, floors: 2, doorsPerFloor: 2 }] });
		w.putBuilding({ v: 1, id: 'b2', compoundId: 'cp1', name: '2号楼', units: [{ no: 1, floors: 2, doorsPerFloor: 2 }] });
		w.putGrid({ v: 1, id: 'g1', name: '第1网格', buildingIds: ['b1'], workers: ['worker1'] });
		w.putGrid({ v: 1, id: 'g2', name: '第2网格', buildingIds: ['b2'], workers: ['worker2'] });
	});
	seed.set(INDEX, Y.encodeStateAsUpdate(index));
	for (const [gridId, doorId] of [['g1', DOORS[0]], ['g2', DOORS[2]]]) {
		const doc = new Y.Doc();
		doc.clientID = 0;
		register.change(doc, (w) => w.putHousehold(household(doorId, 0, 0)));
		seed.set(registerOf(gridId), Y.encodeStateAsUpdate(doc));
	}
}

/** One run: the world, the edits each device made, and the ops that drive it. */
class Simulation {
	private readonly clientIds = new ClientIds();
	readonly server = new Server((name) => (parseDocumentName(name)?.kind === 'index' ? communityIndex.shape : register.shape), this.clientIds);
	readonly devices: Device[];
	readonly network: Network;
	/** Event ids each register must end up holding: every one a device wrote there. */
	readonly expected = new Map<string, Set<string>>(GRIDS.map((g) => [registerOf(g), new Set()]));
	/** Each device's clock, stored with its events (the app keeps it in Dexie). */
	private readonly clocks: hlc.Clock[];
	private now = 1_775_900_000_000;
	private made = 0;

	constructor() {
		for (const [name, update] of seed) this.server.seed(name, update);
		this.devices = people.map(({ device, user }) => {
			const documents = new Map<string, Access>();
			for (const name of [INDEX, ...GRIDS.map(registerOf)]) {
				const access = accessTo(user, parseDocumentName(name)!);
				if (access) documents.set(name, access);
			}
			return new Device(device, user, documents, this.clientIds);
		});
		this.clocks = people.map(({ device }) => hlc.create(device));
		this.network = new Network(this.server, this.devices);
		for (const d of this.devices) this.network.connect(d);
	}

	run(op: Op): void {
		const net = this.network;
		switch (op.t) {
			case 'edit':
				return this.edit(op.device, op.what, op.x, op.y);
			case 'deliver':
				for (let k = 0; k < op.count; k++) net.deliver(op.index * (k + 1) + k, op.twice && k === 0);
				return;
			case 'tick':
				this.now += op.ms;
				return;
			case 'restartServer':
				return this.server.restart();
			case 'restartDevice':
				return this.devices[op.device].restart();
			default:
				return net[op.t](this.devices[op.device]);
		}
	}

	/** An edit the app's writers make for this device's role, on a document it may write. */
	private edit(index: number, what: number, x: number, y: number): void {
		const d = this.devices[index];
		const writable = [...d.documents].filter(([, access]) => access === 'write').map(([name]) => name);
		const registers = writable.filter((name) => name !== INDEX);
		if (registers.length === 0) return; // testers and volunteers only read
		// Half of a coordinator's edits are what only coordinators write; every role records events.
		const edit =
			d.writer.role === 'coordinator' && what % 2 === 0
				? pick(['index', 'household', 'relay'], what >> 1)
				: pick(['visit', 'field', 'need', 'needStatus'], what >> 1);
		const name = pick(registers, y);
		const doc = d.docs.get(name)!;
		switch (edit) {
			case 'index':
				return this.editIndex(d.docs.get(INDEX)!, x, y);
			case 'household':
				// An import or a move writes base records.
				return register.change(doc, (w) => w.putHousehold(household(pick(DOORS, x), x, y)));
			case 'relay': {
				// A move copies another grid's events into this one.
				const from = d.docs.get(pick(registers, y + 1))!;
				const events = register.events(from).sort((a, b) => (a.id < b.id ? -1 : 1));
				if (events.length === 0 || from === doc) return;
				const event = pick(events, x);
				register.change(doc, (w) => w.append(event));
				this.expected.get(name)!.add(event.id);
				return;
			}
		}
		const state = deriveRegister(register.households(doc), register.events(doc));
		const door = pick(DOORS, x);
		const householdId = `h-${door}`;
		let input: Omit<NewEvent<LogEvent>, 'user'>;
		switch (edit) {
			case 'visit':
				input = { kind: 'visit', entity: door, value: { outcome: pick(visitOutcomes, y), note: pick(['', '改天再来'], x) }, seen: state.visits.get(door) };
				break;
			case 'field': {
				const [field, value] = pick<[string, unknown]>(
					[
						['occupancy', pick(occupancies, y)],
						['notes', pick(['', '独居', '新搬来'], y)],
						['passCards', y % 4],
						[`flag.${pick(flags, y)}`, y % 2 === 0],
						['member.m1.name', pick(['张三', '李四'], y)]
					],
					x
				);
				input = { kind: 'household', entity: householdId, field, value, seen: state.households.get(householdId)?.fields.get(field) };
				break;
			}
			case 'need': {
				const value = { householdId, kind: pick(needKinds, y), urgency: pick(urgencies, x), description: '需要帮助' };
				input = { kind: 'need', entity: `n${index}x${this.made}`, field: 'created', value };
				break;
			}
			default: {
				const needs = [...state.needs.values()].sort((a, b) => (a.need.id < b.need.id ? -1 : 1));
				if (needs.length === 0) return;
				const file = pick(needs, x);
				const status = pick(nextStatuses(file.need.status), y);
				input = { kind: 'need', entity: file.need.id, field: 'status', value: { status, note: '' }, seen: file.fields.get('status') };
			}
		}
		const made = createEvent({ ...input, user: d.writer.username }, this.clocks[index], this.now + people[index].clockSkew, `e${index}x${this.made++}`);
		this.clocks[index] = made.clock;
		register.change(doc, (w) => w.append(made.event));
		this.expected.get(name)!.add(made.event.id);
	}

	/** What assignments and imports write: grids, buildings, compounds, the community, with names that repeat. */
	private editIndex(doc: Y.Doc, x: number, y: number): void {
		communityIndex.change(doc, (w) => {
			switch (x % 4) {
				case 0:
					return w.putGrid({ v: 1, id: pick(GRIDS, y), name: pick(NAMES, x + y), buildingIds: pick([['b1'], ['b2'], ['b1', 'b2'], []], y), workers: [] });
				case 1:
					return w.putCompound({ v: 1, id: pick(['cp1', 'cp2', 'cp3'], y), name: pick(NAMES, x + y) });
				case 2:
					return w.putBuilding({ v: 1, id: pick(['b1', 'b2', 'b3'], y), compoundId: 'cp1', name: pick(NAMES, x + y), units: [{ no: 1, floors: 1 + (y % 3), doorsPerFloor: 2 }] });
				default:
					return w.setCommunity({ v: 1, id: COMMUNITY, name: pick(['东风社区', '红旗社区'], y) });
			}
		});
	}
}

function household(doorId: string, x: number, y: number) {
	return { v: 1 as const, id: `h-${doorId}`, doorId, occupancy: pick(occupancies, x), members: [], passCards: y % 3, flags: [], notes: pick(['', '房东在外地'], y) };
}

/** JSON with Map entries sorted by key: a map's order is not part of any derived state, array order is. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_, v) => (v instanceof Map ? [...v].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : v));
}

/** A document's maps as one comparable string. */
function contentOf(name: string, doc: Y.Doc): string {
	const maps = Object.keys(name === INDEX ? communityIndex.shape : register.shape);
	return canonical(new Map(maps.map((key) => [key, new Map(Object.entries(doc.getMap(key).toJSON()))])));
}

/** What the app derives from a document and shows: the index as listed; the register's doors, files, needs and change history. */
function derivedOf(name: string, doc: Y.Doc): string {
	if (name === INDEX) return canonical(communityIndex.read(doc));
	const events = register.events(doc);
	return canonical({ register: deriveRegister(register.households(doc), events), history: auditTrail(events) });
}

function checkConverged(sim: Simulation): void {
	const refusedInSettle = sim.network.settle();
	expect(refusedInSettle, 'a healed network settles without refusals').toEqual([]);
	for (const refusal of sim.server.refusals) expect(refusal.reason, `refused ${refusal.device} on ${refusal.document}`).toBe(DEPENDS_ON_MISSING);

	/** Live replicas received updates in their own order; restarted ones are compared by content only. */
	const replicas: { who: string; docs: ReadonlyMap<string, Y.Doc>; live: boolean }[] = [
		{ who: 'server', docs: sim.server.docs, live: true },
		{ who: 'server restarted', docs: sim.server.reloaded(), live: false },
		...sim.devices.flatMap((d) => [
			{ who: d.name, docs: d.docs, live: true },
			{ who: `${d.name} restarted`, docs: d.reloaded(), live: false }
		])
	];
	for (const [name, expectedIds] of [...sim.expected, [INDEX, null] as const]) {
		const server = sim.server.docs.get(name)!;
		if (expectedIds) {
			const ids = register.events(server).map((e) => e.id);
			expect(ids.length, `${name}: each event once`).toBe(new Set(ids).size);
			expect(new Set(ids), `${name}: every event written there`).toEqual(expectedIds);
		}
		const content = contentOf(name, server);
		const derived = derivedOf(name, server);
		for (const { who, docs, live } of replicas) {
			const doc = docs.get(name);
			if (!doc) continue;
			expect(contentOf(name, doc), `${who}: ${name} content`).toBe(content);
			if (live) expect(derivedOf(name, doc), `${who}: ${name} derived state`).toBe(derived);
		}
	}
}

/** The unit run: a fixed seed. The soak: more runs, a new seed each time unless SIM_SEED is given. */
const SOAK = process.env.SIM_SOAK === '1';
const RUNS = Number(process.env.SIM_RUNS ?? (SOAK ? 3000 : 300));
const SEED = Number(process.env.SIM_SEED ?? (SOAK ? Date.now() % 2 ** 31 : 20260411));
const PATH = process.env.SIM_PATH;

describe('sync simulation: devices, server, a network that reorders, duplicates and drops', () => {
	it(
		`converges with every edit kept (seed ${SEED}, ${RUNS} runs)`,
		() => {
			const seen = { events: 0, refusals: 0 };
			const property = fc.property(fc.array(opArbitrary, { maxLength: 100, size: 'max' }), (ops) => {
				const sim = new Simulation();
				for (const op of ops) sim.run(op);
				checkConverged(sim);
				for (const ids of sim.expected.values()) seen.events += ids.size;
				seen.refusals += sim.server.refusals.length;
			});
			const details = fc.check(property, { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH } : {}) });
			if (details.failed)
				throw new Error(
					`replay: SIM_SEED=${details.seed} SIM_PATH=${details.counterexamplePath} npm run test:soak\n${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`
				);
			if (SOAK) console.log(`seed ${SEED}: ${details.numRuns} runs, ${seen.events} events written, ${seen.refusals} changes refused and sent again`);
		},
		Math.max(60_000, RUNS * 200)
	);
});

describe('sync simulation: the model itself', () => {
	it('refuses a change that arrives before the one it builds on; the device sends both again when it reconnects', () => {
		const sim = new Simulation();
		sim.network.settle();
		const desk = sim.devices[0];
		const g1 = desk.docs.get(registerOf('g1'))!;
		register.change(g1, (w) => w.putHousehold(household(DOORS[1], 0, 0)));
		register.change(g1, (w) => w.putHousehold(household(DOORS[1], 1, 1)));
		sim.network.deliver(sim.network.pending - 1);
		expect(sim.server.refusals).toEqual([{ device: 'desk', document: registerOf('g1'), reason: DEPENDS_ON_MISSING }]);
		checkConverged(sim);
		expect(register.households(sim.server.docs.get(registerOf('g1'))!).find((h) => h.doorId === DOORS[1])).toEqual(household(DOORS[1], 1, 1));
	});
});
