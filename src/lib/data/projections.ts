/**
 * Door rows: what the door grid and the lists show, derived from a grid's register by a pure
 * function, so rebuilding them from the documents always gives the same rows.
 */
import { allFlags, headName, householdIdOf, type Flag, type Occupancy } from '../domain/household';
import { doorsOfGrid, type Building, type Grid } from '../domain/places';
import type { RegisterState } from '../domain/register';
import { notVisited, type DoorStatus } from '../domain/visits';

/** One door as lists and the door grid show it. */
export interface DoorRow {
	id: string;
	gridId: string;
	buildingId: string;
	unitNo: number;
	floor: number;
	position: number;
	label: string;
	status: DoorStatus;
	conflict: boolean;
	visits: number;
	householdId?: string;
	headName?: string;
	memberCount: number;
	occupancy?: Occupancy;
	/** Flags of the household and its members, for icons on the door grid. */
	flags: Flag[];
	/** A household field has conflicting values waiting to be resolved. */
	fieldConflict: boolean;
}
/**
 * The rows of every door a grid holds, with status derived from the grid's register. `grids` are
 * all of the community's (another grid may hold a unit of this grid's buildings); by default only
 * this one.
 */
export function projectGridDoors(
	grid: Grid,
	buildings: ReadonlyMap<string, Building>,
	register: RegisterState,
	grids: readonly Grid[] = [grid]
): DoorRow[] {
	const rows: DoorRow[] = [];
	for (const door of doorsOfGrid(grid, grids, buildings)) {
		const file = register.households.get(householdIdOf(door.id));
		const household = file?.household;
		const state = register.doors.get(door.id) ?? notVisited;
		rows.push({
			...door,
			gridId: grid.id,
			status: state.status,
			conflict: state.conflict,
			visits: state.visits,
			householdId: household?.id,
			headName: household ? headName(household) : undefined,
			memberCount: household?.members.length ?? 0,
			occupancy: household?.occupancy,
			flags: household ? allFlags(household) : [],
			fieldConflict: (file?.conflicts.length ?? 0) > 0
		});
	}
	return rows;
}

/** Doors visited (any outcome) out of all doors. */
export interface Progress {
	done: number;
	total: number;
}

/**
 * How far the visits of a grid have got, in all and per building: what the home screen shows.
 * Kept on the device, so the home screen shows it before the grid's register is read again.
 */
export interface GridProgress extends Progress {
	gridId: string;
	buildings: Record<string, Progress>;
}

export function gridProgress(gridId: string, rows: readonly DoorRow[]): GridProgress {
	const progress: GridProgress = { gridId, done: 0, total: 0, buildings: {} };
	for (const row of rows) {
		const building = (progress.buildings[row.buildingId] ??= { done: 0, total: 0 });
		const done = row.status === 'not_visited' ? 0 : 1;
		progress.total++;
		progress.done += done;
		building.total++;
		building.done += done;
	}
	return progress;
}
