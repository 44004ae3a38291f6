/**
 * The coordinator's assignments: which grid each building belongs to (and each unit, when one
 * unit of a building is another grid's), and which grids each person works in.
 *
 * Buildings are moved on this device, in the documents (see register-move.ts), and sync like any
 * other change, offline included. People's grids are the server's (they decide access): the list
 * is read from and saved to the API, so that part needs a connection, and a saved change applies
 * from that person's next sign-in, or the next start of the app online.
 */
import { m } from '$lib/paraglide/messages';
import { parseDocumentName } from '../domain/access';
import * as places from '../domain/places';
import type { Building, Grid } from '../domain/places';
import * as communityIndex from '../data/community-index-doc';
import { LocalDb } from '../data/local-db';
import { moveBuilding, moveUnit } from '../data/register-move';
import * as api from '../sync/api';
import { LOCAL_ORIGIN } from '../sync/sync-engine';
import { handleError, notices } from './notices.svelte';
import type { Workspace } from './workspace.svelte';

export interface BuildingRow {
	building: Building;
	/** "幸福里 9号楼": building names repeat across compounds. */
	place: string;
	/** Who holds each unit, when the building has more than one (a unit may be another grid's). */
	units: { no: number; gridId: string }[];
}

/** A unit a grid holds on its own, in a building another grid lists. */
export interface UnitRow {
	building: Building;
	place: string;
	unitNo: number;
}

export interface GridBuildings {
	grid: Grid;
	buildings: BuildingRow[];
	units: UnitRow[];
}

/** A move the coordinator picked and has not confirmed yet: a building, or one unit of it. */
export interface PendingMove {
	buildingId: string;
	unitNo?: number;
	place: string;
	from: Grid;
	to: Grid;
}

/** What `moving` holds while a building (its id) or a unit (`unitKey`) is being moved. */
export const moveKey = (buildingId: string, unitNo?: number) => (unitNo === undefined ? buildingId : places.unitKey(buildingId, unitNo));

export type PeopleLoad = 'loading' | 'ready' | 'error';

/** A frame for the browser to paint the progress line before a synchronous write. */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 16));

const sameGrids = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));

export class Assignments {
	/** Every grid with its buildings, in the index's order. A building two grids list shows under both. */
	grids = $derived.by((): GridBuildings[] => {
		const index = this.workspace.index;
		const compounds = new Map(index.compounds.map((c) => [c.id, c.name]));
		const buildings = new Map(index.buildings.map((b) => [b.id, b]));
		const placeOf = (building: Building) => `${compounds.get(building.compoundId) ?? ''} ${building.name}`.trim();
		return index.grids.map((grid) => ({
			grid,
			buildings: grid.buildingIds.flatMap((id) => {
				const building = buildings.get(id);
				if (!building) return [];
				const units =
					building.units.length > 1
						? building.units.map((u) => ({ no: u.no, gridId: places.unitOwner(index.grids, building.id, u.no) ?? grid.id }))
						: [];
				return [{ building, place: placeOf(building), units }];
			}),
			units: places
				.unitsOfGrid(grid, index.grids, buildings)
				.filter(({ building }) => !grid.buildingIds.includes(building.id))
				.map(({ building, unit }) => ({ building, place: placeOf(building), unitNo: unit.no }))
		}));
	});
	pendingMove = $state.raw<PendingMove | null>(null);
	/** The building (its id) or unit (`moveKey`) being moved right now. */
	moving = $state<string | null>(null);

	people = $state<PeopleLoad>('loading');
	users = $state.raw<api.UserSummary[]>([]);
	/** Grids ticked and not saved yet, by username. */
	drafts = $state.raw<ReadonlyMap<string, readonly string[]>>(new Map());
	saving = $state.raw<ReadonlySet<string>>(new Set());
	/** Everyone whose grids a coordinator sets: coordinators work in the whole community. */
	assignable = $derived(this.users.filter((u) => u.role !== 'coordinator'));

	private readonly workspace: Workspace;

	constructor(workspace: Workspace) {
		this.workspace = workspace;
		if (this.allowed) void this.loadPeople();
		else this.people = 'ready';
	}

	get allowed(): boolean {
		return this.workspace.user.role === 'coordinator';
	}

	// ---- buildings ------------------------------------------------------------------------

	/** Asks to move a building to another grid; nothing happens until `confirmMove`. */
	askMove(buildingId: string, fromGridId: string, toGridId: string): void {
		const from = this.workspace.index.grids.find((g) => g.id === fromGridId);
		const to = this.workspace.index.grids.find((g) => g.id === toGridId);
		const row = this.grids.find((g) => g.grid.id === fromGridId)?.buildings.find((b) => b.building.id === buildingId);
		if (!from || !to || !row || from.id === to.id || this.moving) return;
		this.pendingMove = { buildingId, place: row.place, from, to };
	}

	/** Asks to move one unit of a building to another grid; nothing happens until `confirmMove`. */
	askMoveUnit(buildingId: string, unitNo: number, fromGridId: string, toGridId: string): void {
		const index = this.workspace.index;
		const from = index.grids.find((g) => g.id === fromGridId);
		const to = index.grids.find((g) => g.id === toGridId);
		const building = index.buildings.find((b) => b.id === buildingId);
		const place = this.grids.flatMap((g) => g.buildings).find((b) => b.building.id === buildingId)?.place ?? building?.name;
		if (!from || !to || !building || !place || from.id === to.id || this.moving) return;
		this.pendingMove = { buildingId, unitNo, place, from, to };
	}

	cancelMove(): void {
		this.pendingMove = null;
	}

	/** Moves the building the coordinator confirmed: its records, then the index. */
	async confirmMove(): Promise<void> {
		const move = this.pendingMove;
		if (!move || this.moving || !this.allowed) return;
		this.moving = moveKey(move.buildingId, move.unitNo);
		this.pendingMove = null;
		await nextFrame();
		try {
			const index = this.indexDoc();
			const fromDoc = this.workspace.accessToGrid(move.from.id) === 'write' ? this.workspace.registerDoc(move.from.id) : undefined;
			const toDoc = this.workspace.accessToGrid(move.to.id) === 'write' ? this.workspace.registerDoc(move.to.id) : undefined;
			if (!index || !fromDoc || !toDoc) throw new Error('read_only');
			if (move.unitNo === undefined) {
				moveBuilding(index, fromDoc, toDoc, move.buildingId, move.from.id, move.to.id, LOCAL_ORIGIN);
				notices.show(m.assign_moved({ building: move.place, to: move.to.name }));
			} else {
				moveUnit(index, fromDoc, toDoc, move.buildingId, move.unitNo, move.from.id, move.to.id, LOCAL_ORIGIN);
				notices.show(m.assign_unit_moved({ building: move.place, unit: m.building_unit({ no: move.unitNo }), to: move.to.name }));
			}
		} catch (error) {
			handleError(error, (detail) => m.assign_move_failed({ detail }));
		} finally {
			this.moving = null;
		}
	}

	// ---- people ---------------------------------------------------------------------------

	/** Reads the community's accounts from the server. */
	async loadPeople(): Promise<void> {
		if (!this.allowed) return;
		this.people = 'loading';
		try {
			this.users = await api.users(await this.token());
			this.people = 'ready';
		} catch (error) {
			this.people = 'error';
			handleError(error, (detail) => m.assign_people_failed({ detail }));
		}
	}

	/** The grids shown ticked for a person: their draft, else what the server has. */
	chosen(user: api.UserSummary): readonly string[] {
		return this.drafts.get(user.username) ?? user.gridIds;
	}

	/** Whether a person's ticks differ from what is saved. */
	changed(user: api.UserSummary): boolean {
		return !sameGrids(this.chosen(user), user.gridIds);
	}

	toggle(user: api.UserSummary, gridId: string): void {
		const current = this.chosen(user);
		const next = current.includes(gridId) ? current.filter((id) => id !== gridId) : [...current, gridId];
		const drafts = new Map(this.drafts);
		if (sameGrids(next, user.gridIds)) drafts.delete(user.username);
		else drafts.set(user.username, next);
		this.drafts = drafts;
	}

	/** Saves a person's grids on the server; they apply from that person's next connection. */
	async save(user: api.UserSummary): Promise<void> {
		if (!this.allowed || this.saving.has(user.username) || !this.changed(user)) return;
		const gridIds = this.chosen(user);
		this.saving = new Set(this.saving).add(user.username);
		try {
			const saved = await api.updateUserGrids(await this.token(), user.username, gridIds);
			this.users = this.users.map((u) => (u.username === saved.username ? saved : u));
			const drafts = new Map(this.drafts);
			drafts.delete(user.username);
			this.drafts = drafts;
			if (saved.role === 'grid_worker') this.showWorkers(saved);
			notices.show(m.assign_saved({ name: saved.displayName }));
		} catch (error) {
			handleError(error, (detail) => m.assign_save_failed({ detail }));
		} finally {
			const saving = new Set(this.saving);
			saving.delete(user.username);
			this.saving = saving;
		}
	}

	/**
	 * Keeps the grids' worker lists in the index (shown to everyone, not used for access) in step
	 * with a grid worker's saved grids.
	 */
	private showWorkers(worker: api.UserSummary) {
		const index = this.indexDoc();
		if (!index) return;
		const changed = this.workspace.index.grids.flatMap((grid) => {
			const listed = grid.workers.includes(worker.username);
			const works = worker.gridIds.includes(grid.id);
			if (listed === works) return [];
			return [{ ...grid, workers: works ? [...grid.workers, worker.username] : grid.workers.filter((w) => w !== worker.username) }];
		});
		if (changed.length > 0) communityIndex.change(index, (w) => changed.forEach((grid) => w.putGrid(grid)), LOCAL_ORIGIN);
	}

	/** The community index, when this user may write it. */
	private indexDoc() {
		return [...this.workspace.engine.replicas.values()].find(
			(replica) => parseDocumentName(replica.name)?.kind === 'index' && replica.access === 'write'
		)?.doc;
	}

	/** The signed-in session's token, as stored on this device. */
	private async token(): Promise<string> {
		const db = new LocalDb();
		try {
			const row = await db.session.get('current');
			if (!row) throw new api.ApiError('session_expired');
			return row.token;
		} finally {
			db.close();
		}
	}
}
