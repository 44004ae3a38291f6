/**
 * Writing an import plan into the documents, and reading the register out as export rows.
 *
 * An import writes two documents: the community index (compounds, buildings, the grid's
 * buildings) in one transaction, then the grid's register (households) in one transaction.
 * Yjs does not roll a transaction back when its function throws, so every record is checked
 * against its schema before the first write: a plan either goes in whole or not at all.
 * The index goes first: should the tab die between the two, the doors exist with no households
 * yet, and importing the same file again finishes the job (an empty door is not "occupied").
 */
import type * as Y from 'yjs';
import * as communityIndex from './community-index-doc';
import * as register from './register-doc';
import { doorsOfUnit, unitsOfGrid } from '../domain/places';
import { householdIdOf } from '../domain/household';
import type { RegisterState } from '../domain/register';
import {
	assertPlanValid,
	headerWords,
	occupancyWords,
	relationWords,
	residenceWords,
	sexWords,
	targets,
	type ImportPlan,
	type Target
} from '../domain/register-import';

export interface PlanDocuments {
	index: Y.Doc;
	/** The register document of the plan's grid. */
	register: Y.Doc;
}

/** Writes the plan. Throws before writing anything when a record does not fit its schema. */
export function applyPlan(plan: ImportPlan, docs: PlanDocuments, origin?: unknown): void {
	assertPlanValid(plan);
	communityIndex.change(
		docs.index,
		(w) => {
			for (const compound of plan.compounds) w.putCompound(compound);
			for (const building of plan.buildings) w.putBuilding(building);
			w.putGrid(plan.grid);
		},
		origin
	);
	register.change(
		docs.register,
		(w) => {
			for (const household of plan.households) w.putHousehold(household);
		},
		origin
	);
}

/** Export columns: the grid, then every import target in order, headed as the importer reads them. */
export const GRID_HEADER = '网格';

/**
 * The register as rows, one per person (a household without people gets one row), headed in
 * Chinese with the words the importer reads back: an export re-imports as the same register.
 * Households as they stand (base record plus field edits, from `deriveRegister`), in the order
 * of grids, buildings, units, floors and doors. ID numbers are written in full: the file is the
 * coordinator's own copy, and the only place the app shows them unmasked.
 */
export function exportRows(index: communityIndex.CommunityIndex, registers: ReadonlyMap<string, RegisterState>): string[][] {
	const rows: string[][] = [[GRID_HEADER, ...targets.map((t) => headerWords[t].exact[0])]];
	const compounds = new Map(index.compounds.map((c) => [c.id, c.name]));
	const buildings = new Map(index.buildings.map((b) => [b.id, b]));
	for (const grid of index.grids) {
		const state = registers.get(grid.id);
		if (!state) continue;
		for (const { building, unit } of unitsOfGrid(grid, index.grids, buildings)) {
			for (const door of doorsOfUnit(building, unit)) {
				const household = state.households.get(householdIdOf(door.id))?.household;
				if (!household) continue;
				const place = {
					compound: compounds.get(building.compoundId) ?? '',
					building: building.name,
					unit: String(door.unitNo),
					floor: String(door.floor),
					door: door.label,
					occupancy: occupancyWords[household.occupancy][0],
					householdPhone: household.phone ?? '',
					notes: household.notes
				};
				const people = household.members.length > 0 ? household.members : [undefined];
				for (const member of people) {
					const values: Record<Target, string> = {
						...place,
						name: member?.name ?? '',
						relation: member ? relationWords[member.relation][0] : '',
						sex: member ? sexWords[member.sex][0] : '',
						birth: member?.birth ?? '',
						phone: member?.phone ?? '',
						idNumber: member?.idNumber ?? '',
						residence: member ? residenceWords[member.residence][0] : ''
					};
					rows.push([grid.name, ...targets.map((t) => values[t])]);
				}
			}
		}
	}
	return rows;
}
