/**
 * Moving a building (or one unit of it) from one grid to another: its household files and
 * everything recorded about them go to the new grid's register, and the index says the building
 * is now the new grid's.
 *
 * Why copy and never delete: a register is a document of its own, authorized as a whole. Workers
 * of the old grid may be offline in a stairwell of that very building, writing visits into their
 * copy of the old register; deleting there would not stop them, and a delete in Yjs cannot be
 * told apart later from data that was never there. History stays where it was written, so the
 * old register keeps its records, and what a register *shows* is limited to the buildings its
 * grid holds now (`scopeToBuildings`): the index decides, the register is the archive.
 *
 * What is copied: the building's base household records (doors are `${buildingId}-${unit}-${label}`,
 * households `h-${doorId}`), every event whose entity is one of its doors or households, and
 * every event of a need whose `created` value names one of its households. Events are immutable
 * and keyed by id, and copies keep their ids, clocks and `supersedes`, so the new register
 * derives exactly the same door statuses, field values, conflicts and needs as the old one did.
 *
 * Idempotent, so it can be run again: a household the new register already has is left as it
 * is (its edits are events, which merge), an event it already has is skipped, and the index is
 * written only if the building is not yet where it should be. Nothing changed means no Yjs
 * update at all. Running it again after the index has moved copies whatever workers wrote into
 * the old register late, while still offline.
 *
 * Order: the new register first, then the index. A tab that dies in between leaves the records
 * in both registers and the building still in the old grid, which is how it looked before;
 * running the move again completes it. Every record is read through its schema before writing,
 * so a write never fails half way (Yjs does not roll a transaction back).
 *
 * One unit of a building can move on its own (`moveUnit`): the same copy rule for that unit's
 * doors, and the target grid lists the unit in its `units`, which wins over the building's grid
 * (`unitHolders` in domain/places.ts is the one rule of who holds a unit).
 *
 * Grids in the index are whole records, one Y.Map value each (one-writer data): two coordinators
 * moving buildings of the same grid at the same moment, offline, can leave one building listed
 * in two grids. The assignments screen shows it under both, and moving it from one to the other
 * settles it (a building the target grid already lists is not added twice).
 */
import type * as Y from 'yjs';
import type { LogEvent } from '../domain/events';
import type { Household } from '../domain/household';
import { unitHolders, unitKey, unitOfDoor, type Grid } from '../domain/places';
import { doorIdOfHousehold, type RegisterState } from '../domain/register';
import * as communityIndex from './community-index-doc';
import * as register from './register-doc';

export type MoveErrorCode = 'same_grid' | 'unknown_grid' | 'unknown_building' | 'unknown_unit' | 'not_in_grid';

/** A move that cannot be made; nothing was written. */
export class MoveError extends Error {
	constructor(
		readonly code: MoveErrorCode,
		detail: string = code
	) {
		super(detail);
		this.name = 'MoveError';
	}
}

export interface MoveResult {
	/** Household records and events written into the new register by this run. */
	households: number;
	events: number;
	/** Whether this run changed the index (false when the building was already in the new grid). */
	indexChanged: boolean;
}

/**
 * The building a door id belongs to. Door ids end in `-${unitNo}-${label}`, both numbers, so the
 * building id is everything before them, even when it has dashes of its own: `cp2-b1-1-101` is
 * building `cp2-b1`, never `cp2-b10`'s.
 */
export function buildingOfDoor(doorId: string): string | undefined {
	return unitOfDoor(doorId)?.buildingId;
}

/** The household a need is about, from its `created` event (the only one that names a household). */
function needHousehold(event: LogEvent): string | undefined {
	if (event.kind !== 'need' || event.field !== 'created') return undefined;
	return (event.value as { householdId: string }).householdId;
}

/** A register's household records and events about the doors `held` says yes to. Pure. */
export function recordsOfDoors(
	households: readonly Household[],
	events: readonly LogEvent[],
	held: (doorId: string) => boolean
): { households: Household[]; events: LogEvent[] } {
	const ofHousehold = (householdId: string) => held(doorIdOfHousehold(householdId));
	const needIds = new Set(
		events.filter((e) => {
			const householdId = needHousehold(e);
			return householdId !== undefined && ofHousehold(householdId);
		}).map((e) => e.entity)
	);
	return {
		households: households.filter((h) => held(h.doorId)),
		events: events.filter((e) =>
			e.kind === 'visit' ? held(e.entity) : e.kind === 'household' ? ofHousehold(e.entity) : needIds.has(e.entity)
		)
	};
}

/** A register's household records and events about one building. Pure. */
export function recordsOfBuilding(
	households: readonly Household[],
	events: readonly LogEvent[],
	buildingId: string
): { households: Household[]; events: LogEvent[] } {
	return recordsOfDoors(households, events, (doorId) => buildingOfDoor(doorId) === buildingId);
}

/** The two grids of a move, or the reason there is no such move. */
function gridsOfMove(index: communityIndex.CommunityIndex, fromGridId: string, toGridId: string) {
	const from = index.grids.find((g) => g.id === fromGridId);
	const to = index.grids.find((g) => g.id === toGridId);
	if (!from || !to) throw new MoveError('unknown_grid', `no grid ${!from ? fromGridId : toGridId}`);
	if (from.id === to.id) throw new MoveError('same_grid');
	return { from, to };
}

/**
 * Moves `buildingId` from grid `fromGridId` to grid `toGridId`: copies its records from the old
 * register (`fromDoc`) into the new one (`toDoc`), then moves the building id between the two
 * grids' `buildingIds` in the index. Deletes nothing. Throws a {@link MoveError} before writing
 * when a grid or the building is unknown, the grids are the same, or the building is in neither.
 */
export function moveBuilding(
	indexDoc: Y.Doc,
	fromDoc: Y.Doc,
	toDoc: Y.Doc,
	buildingId: string,
	fromGridId: string,
	toGridId: string,
	origin?: unknown
): MoveResult {
	const index = communityIndex.read(indexDoc);
	const { from, to } = gridsOfMove(index, fromGridId, toGridId);
	if (!index.buildings.some((b) => b.id === buildingId)) throw new MoveError('unknown_building', `no building ${buildingId}`);
	if (!from.buildingIds.includes(buildingId) && !to.buildingIds.includes(buildingId)) {
		throw new MoveError('not_in_grid', `${buildingId} is in neither ${from.id} nor ${to.id}`);
	}

	const copied = copyRecords(fromDoc, toDoc, (doorId) => buildingOfDoor(doorId) === buildingId, origin);

	const indexChanged = from.buildingIds.includes(buildingId) || !to.buildingIds.includes(buildingId);
	if (indexChanged) {
		communityIndex.change(
			indexDoc,
			(w) => {
				w.putGrid(withoutBuilding(from, buildingId));
				if (!to.buildingIds.includes(buildingId)) w.putGrid({ ...to, buildingIds: [...to.buildingIds, buildingId] });
			},
			origin
		);
	}
	return { ...copied, indexChanged };
}

/** Copies what `toDoc` lacks of `fromDoc`'s records about the `held` doors; returns the counts. */
function copyRecords(fromDoc: Y.Doc, toDoc: Y.Doc, held: (doorId: string) => boolean, origin: unknown) {
	const records = recordsOfDoors(register.households(fromDoc), register.events(fromDoc), held);
	const present = new Set(register.households(toDoc).map((h) => h.id));
	const households = records.households.filter((h) => !present.has(h.id));
	const events = records.events.filter((e) => !register.hasEvent(toDoc, e.id));
	if (households.length > 0 || events.length > 0) {
		register.change(
			toDoc,
			(w) => {
				for (const household of households) w.putHousehold(household);
				for (const event of events) w.append(event);
			},
			origin
		);
	}
	return { households: households.length, events: events.length };
}

/**
 * Moves one unit of a building (its doors are `${buildingId}-${unitNo}-…`) from grid
 * `fromGridId` to grid `toGridId`, by the same rules as {@link moveBuilding}: the unit's records
 * are copied into the new register first, then the index says who holds it. The target grid lists
 * the unit in its `units` (unless it is the building's own grid: then being listed nowhere gives
 * it back), and no other grid lists it any more. Idempotent; deletes nothing. Throws a
 * {@link MoveError} before writing when a grid, the building or the unit is unknown, the grids are
 * the same, or neither grid holds the unit.
 */
export function moveUnit(
	indexDoc: Y.Doc,
	fromDoc: Y.Doc,
	toDoc: Y.Doc,
	buildingId: string,
	unitNo: number,
	fromGridId: string,
	toGridId: string,
	origin?: unknown
): MoveResult {
	const index = communityIndex.read(indexDoc);
	const { from, to } = gridsOfMove(index, fromGridId, toGridId);
	const building = index.buildings.find((b) => b.id === buildingId);
	if (!building) throw new MoveError('unknown_building', `no building ${buildingId}`);
	if (!building.units.some((u) => u.no === unitNo)) throw new MoveError('unknown_unit', `no unit ${unitNo} in ${buildingId}`);
	const holders = unitHolders(index.grids, buildingId, unitNo);
	if (!holders.includes(from.id) && !holders.includes(to.id)) {
		throw new MoveError('not_in_grid', `${buildingId}:${unitNo} is in neither ${from.id} nor ${to.id}`);
	}

	const copied = copyRecords(
		fromDoc,
		toDoc,
		(doorId) => {
			const unit = unitOfDoor(doorId);
			return unit?.buildingId === buildingId && unit.unitNo === unitNo;
		},
		origin
	);

	const key = unitKey(buildingId, unitNo);
	const changed = index.grids.flatMap((grid) => {
		const listed = grid.units?.includes(key) ?? false;
		// The building's own grid holds the unit by being listed nowhere; any other grid lists it.
		const wanted = grid.id === to.id && !grid.buildingIds.includes(buildingId);
		if (listed === wanted) return [];
		return [{ ...grid, units: wanted ? [...(grid.units ?? []), key] : (grid.units ?? []).filter((k) => k !== key) }];
	});
	if (changed.length > 0) communityIndex.change(indexDoc, (w) => changed.forEach((grid) => w.putGrid(grid)), origin);
	return { ...copied, indexChanged: changed.length > 0 };
}

function withoutBuilding(grid: Grid, buildingId: string): Grid {
	return { ...grid, buildingIds: grid.buildingIds.filter((id) => id !== buildingId) };
}

function filterMap<K, V>(map: ReadonlyMap<K, V>, keep: (value: V, key: K) => boolean): Map<K, V> {
	const kept = new Map<K, V>();
	for (const [key, value] of map) if (keep(value, key)) kept.set(key, value);
	return kept;
}

/**
 * A register's state limited to the doors its grid holds now (`held`, e.g. `gridHoldsDoor`).
 * What stays behind in the old register after a move is history, not the grid's: without this a
 * need of a moved household would be listed twice (once per register), the old copy never
 * updated again.
 */
export function scopeToDoors(state: RegisterState, held: (doorId: string) => boolean): RegisterState {
	return {
		...state,
		doors: filterMap(state.doors, (_, doorId) => held(doorId)),
		visits: filterMap(state.visits, (_, doorId) => held(doorId)),
		households: filterMap(state.households, (file) => held(file.household.doorId)),
		needs: filterMap(state.needs, (file) => held(doorIdOfHousehold(file.need.householdId)))
	};
}

/** {@link scopeToDoors} for a grid that holds whole buildings. */
export function scopeToBuildings(state: RegisterState, buildingIds: readonly string[]): RegisterState {
	const held = new Set(buildingIds);
	return scopeToDoors(state, (doorId) => held.has(buildingOfDoor(doorId) ?? ''));
}
