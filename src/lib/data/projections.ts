/**
 * Projections: what list screens read, derived from the Yjs documents by pure functions and
 * written to Dexie. Rebuilding one from its documents always gives the same rows.
 */
import { allFlags, headName, householdIdOf } from '../domain/household';
import { doorsOfGrid, type Building, type Grid } from '../domain/places';
import type { RegisterState } from '../domain/register';
import { notVisited } from '../domain/visits';
import type { DoorRow, LocalDb } from './local-db';

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

/** Replaces a grid's door rows in one transaction, so readers never see half a grid. */
export async function storeGridDoors(db: LocalDb, gridId: string, rows: DoorRow[]): Promise<void> {
	await db.transaction('rw', db.doors, async () => {
		await db.doors.where('gridId').equals(gridId).delete();
		await db.doors.bulkPut(rows);
	});
}
