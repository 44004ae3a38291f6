/**
 * Places: community → compound → building → unit → floor → door, and grids.
 *
 * Doors are not stored one by one: a unit declares its floors and doors per floor, and door ids
 * and labels are derived, so a 10,000-household community index stays small.
 */
import { z } from 'zod';

export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'invalid id');

export const compoundSchema = z.object({
	v: z.literal(1),
	id: idSchema,
	name: z.string().min(1).max(60)
});

export const unitSchema = z.object({
	no: z.number().int().min(1).max(99),
	floors: z.number().int().min(1).max(99),
	doorsPerFloor: z.number().int().min(1).max(40)
});

export const buildingSchema = z.object({
	v: z.literal(1),
	/** At most 56 characters, so its door ids (`-99-9940` longer) are still valid ids. */
	id: idSchema.max(56),
	compoundId: idSchema,
	/** Short label as staff say it: "9号楼". */
	name: z.string().min(1).max(40),
	units: z.array(unitSchema).min(1).max(40)
});

/** One unit of one building: `${buildingId}:${unitNo}`, as a grid's `units` list it. */
export const unitKeySchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}:\d{1,2}$/, 'invalid unit');

export const gridSchema = z.object({
	v: z.literal(1),
	id: idSchema,
	name: z.string().min(1).max(60),
	buildingIds: z.array(idSchema).max(500),
	/**
	 * Units this grid holds although their building is another grid's, as `${buildingId}:${unitNo}`
	 * (see {@link unitHolders}). Absent in grids written before units could be assigned.
	 */
	units: z.array(unitKeySchema).max(2000).optional(),
	/** Usernames of the grid's workers, for display; access itself is the server's user scope. */
	workers: z.array(z.string().max(64)).max(100)
});

export const communitySchema = z.object({
	v: z.literal(1),
	id: idSchema,
	name: z.string().min(1).max(60)
});

export type Compound = z.output<typeof compoundSchema>;
export type Unit = z.output<typeof unitSchema>;
export type Building = z.output<typeof buildingSchema>;
export type Grid = z.output<typeof gridSchema>;
export type Community = z.output<typeof communitySchema>;

export interface Door {
	/** `${buildingId}-${unitNo}-${floor}${door two digits}`, stable across devices. */
	id: string;
	buildingId: string;
	unitNo: number;
	floor: number;
	/** Position on the floor, 1-based, left to right. */
	position: number;
	/** What is written on the door: "502", "1203". */
	label: string;
}

export function doorLabel(floor: number, position: number): string {
	return `${floor}${String(position).padStart(2, '0')}`;
}

export function doorId(buildingId: string, unitNo: number, floor: number, position: number): string {
	return `${buildingId}-${unitNo}-${doorLabel(floor, position)}`;
}

export function doorsOfUnit(building: Building, unit: Unit): Door[] {
	const doors: Door[] = [];
	for (let floor = 1; floor <= unit.floors; floor++) {
		for (let position = 1; position <= unit.doorsPerFloor; position++) {
			doors.push({
				id: doorId(building.id, unit.no, floor, position),
				buildingId: building.id,
				unitNo: unit.no,
				floor,
				position,
				label: doorLabel(floor, position)
			});
		}
	}
	return doors;
}

export function doorsOfBuilding(building: Building): Door[] {
	return building.units.flatMap((unit) => doorsOfUnit(building, unit));
}

/** Rows of a unit's door grid: the top floor first, as the building stands. */
export function floorRows(building: Building, unit: Unit): Door[][] {
	return byFloor(doorsOfUnit(building, unit));
}

/** Groups doors into floors, the top floor first, each floor left to right. */
export function byFloor<T extends Pick<Door, 'floor' | 'position'>>(doors: readonly T[]): T[][] {
	const floors = new Map<number, T[]>();
	for (const door of doors) {
		const floor = floors.get(door.floor);
		if (floor) floor.push(door);
		else floors.set(door.floor, [door]);
	}
	return [...floors.entries()]
		.sort(([a], [b]) => b - a)
		.map(([, row]) => row.sort((a, b) => a.position - b.position));
}

export function unitKey(buildingId: string, unitNo: number): string {
	return `${buildingId}:${unitNo}`;
}

const doorIdPattern = /^(.+)-(\d+)-\d+$/;

/**
 * The building and unit of a door id. Door ids end in `-${unitNo}-${label}`, both numbers, so the
 * building id is everything before them, even when it has dashes of its own: `cp2-b1-1-101` is
 * building `cp2-b1` unit 1, never building `cp2-b1-1`'s.
 */
export function unitOfDoor(doorId: string): { buildingId: string; unitNo: number } | undefined {
	const match = doorIdPattern.exec(doorId);
	return match ? { buildingId: match[1], unitNo: Number(match[2]) } : undefined;
}

/**
 * The one rule of who holds a unit: the grids that list it among their `units`, or, when no grid
 * does, the grids that list its building. A unit assigned on its own thus wins over its
 * building's grid. Normally one grid; two only when concurrent offline moves listed it twice,
 * which the assignments screen shows and the next move settles.
 */
export function unitHolders(grids: readonly Grid[], buildingId: string, unitNo: number): string[] {
	const key = unitKey(buildingId, unitNo);
	const claiming = grids.filter((g) => g.units?.includes(key));
	return (claiming.length > 0 ? claiming : grids.filter((g) => g.buildingIds.includes(buildingId))).map((g) => g.id);
}

/** The grid a unit belongs to (the first, should two hold it), if any. */
export function unitOwner(grids: readonly Grid[], buildingId: string, unitNo: number): string | undefined {
	return unitHolders(grids, buildingId, unitNo)[0];
}

/**
 * Whether a grid holds a door, as a predicate to run over many doors: `grids` are every grid of
 * the community, since another grid's `units` can take a unit away from this one.
 */
export function gridHoldsDoor(grid: Grid, grids: readonly Grid[]): (doorId: string) => boolean {
	const held = new Map<string, boolean>();
	return (doorId) => {
		const unit = unitOfDoor(doorId);
		if (!unit) return false;
		const key = unitKey(unit.buildingId, unit.unitNo);
		let holds = held.get(key);
		if (holds === undefined) held.set(key, (holds = unitHolders(grids, unit.buildingId, unit.unitNo).includes(grid.id)));
		return holds;
	};
}

/**
 * The units a grid holds, in order: the units of its buildings that no other grid took, then the
 * units it holds in other grids' buildings. Buildings or units the index does not have are skipped.
 */
export function unitsOfGrid(
	grid: Grid,
	grids: readonly Grid[],
	buildings: ReadonlyMap<string, Building>
): { building: Building; unit: Unit }[] {
	const seen = new Set<string>();
	const result: { building: Building; unit: Unit }[] = [];
	const add = (building: Building | undefined, unit: Unit | undefined) => {
		if (!building || !unit) return;
		const key = unitKey(building.id, unit.no);
		if (seen.has(key)) return;
		seen.add(key);
		if (unitHolders(grids, building.id, unit.no).includes(grid.id)) result.push({ building, unit });
	};
	for (const id of grid.buildingIds) {
		const building = buildings.get(id);
		for (const unit of building?.units ?? []) add(building, unit);
	}
	for (const key of grid.units ?? []) {
		const [buildingId, no] = key.split(':');
		const building = buildings.get(buildingId);
		add(building, building?.units.find((u) => u.no === Number(no)));
	}
	return result;
}

/** The buildings a grid holds a unit of, in the order of {@link unitsOfGrid}, each once. */
export function buildingIdsOfGrid(grid: Grid, grids: readonly Grid[], buildings: ReadonlyMap<string, Building>): string[] {
	return [...new Set(unitsOfGrid(grid, grids, buildings).map(({ building }) => building.id))];
}

/** Every door of the units a grid holds (see {@link unitsOfGrid}). */
export function doorsOfGrid(grid: Grid, grids: readonly Grid[], buildings: ReadonlyMap<string, Building>): Door[] {
	return unitsOfGrid(grid, grids, buildings).flatMap(({ building, unit }) => doorsOfUnit(building, unit));
}
