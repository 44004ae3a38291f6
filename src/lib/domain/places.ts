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

export const gridSchema = z.object({
	v: z.literal(1),
	id: idSchema,
	name: z.string().min(1).max(60),
	buildingIds: z.array(idSchema).max(500),
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
