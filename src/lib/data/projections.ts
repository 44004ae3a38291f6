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

/**
 * Replaces a grid's door rows in one transaction, so readers never see half a grid. Only rows
 * that changed are written (most edits touch one door): a grid's hundreds of rows rewritten on
 * every keystroke-sized change would keep IndexedDB and every list's live query busy for nothing.
 * Returns how many rows were written and removed.
 */
export async function storeGridDoors(db: LocalDb, gridId: string, rows: DoorRow[]): Promise<{ written: number; removed: number }> {
	return db.transaction('rw', db.doors, async () => {
		const stored = new Map((await db.doors.where('gridId').equals(gridId).toArray()).map((row) => [row.id, row]));
		const changed = rows.filter((row) => {
			const before = stored.get(row.id);
			stored.delete(row.id);
			return !before || !sameRow(before, row);
		});
		await db.doors.bulkDelete([...stored.keys()]);
		await db.doors.bulkPut(changed);
		return { written: changed.length, removed: stored.size };
	});
}

function sameRow(a: DoorRow, b: DoorRow): boolean {
	const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof DoorRow)[]);
	for (const key of keys) {
		const x = a[key];
		const y = b[key];
		if (Array.isArray(x) && Array.isArray(y) ? x.join('\u0000') !== y.join('\u0000') : x !== y) return false;
	}
	return true;
}
