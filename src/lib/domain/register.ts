/**
 * A grid's register as it stands: every door's visit status, every household file (base record
 * plus field edits), and every need, derived from the register document's households and events
 * in one pass. Pure: the same households and events, in any order, give the same state.
 */
import { reduce, type FieldState, type HouseholdEvent, type LogEvent, type NeedEvent, type VisitEvent } from './events';
import { applyFieldValues, type Household } from './household';
import { deriveNeed, type Need, type NeedFields } from './needs';
import { doorState, type DoorState } from './visits';

export interface FieldConflict {
	field: string;
	/** The competing values, the one shown first. */
	heads: { id: string; value: unknown; user: string; hlc: string }[];
}

export interface HouseholdFile {
	household: Household;
	/** Current state of every edited field, by field path. */
	fields: ReadonlyMap<string, FieldState<HouseholdEvent>>;
	conflicts: FieldConflict[];
	/** Who changed what and when, oldest first. */
	history: HouseholdEvent[];
}

export interface RegisterState {
	doors: ReadonlyMap<string, DoorState>;
	/** Visits by door id, oldest first. */
	visits: ReadonlyMap<string, FieldState<VisitEvent>>;
	households: ReadonlyMap<string, HouseholdFile>;
	needs: Need[];
}

/** The door a household id belongs to (see householdIdOf). */
export function doorIdOfHousehold(householdId: string): string {
	return householdId.replace(/^h-/, '');
}

export function deriveRegister(baseHouseholds: readonly Household[], events: readonly LogEvent[]): RegisterState {
	const states = reduce(events);
	const visits = new Map<string, FieldState<VisitEvent>>();
	const householdFields = new Map<string, Map<string, FieldState<HouseholdEvent>>>();
	const needFields = new Map<string, Partial<NeedFields>>();
	for (const state of states.values()) {
		const event = state.current;
		if (event.kind === 'visit') visits.set(event.entity, state as FieldState<VisitEvent>);
		else if (event.kind === 'household') {
			let fields = householdFields.get(event.entity);
			if (!fields) householdFields.set(event.entity, (fields = new Map()));
			fields.set(event.field, state as FieldState<HouseholdEvent>);
		} else {
			const need = needFields.get(event.entity) ?? { id: event.entity };
			const { value, user, hlc } = (state as FieldState<NeedEvent>).current;
			Object.assign(need, { [event.field]: { value, user, hlc } });
			needFields.set(event.entity, need);
		}
	}

	const bases = new Map(baseHouseholds.map((h) => [h.id, h]));
	const households = new Map<string, HouseholdFile>();
	for (const id of new Set([...bases.keys(), ...householdFields.keys()])) {
		const fields = householdFields.get(id) ?? new Map<string, FieldState<HouseholdEvent>>();
		const values = new Map([...fields].map(([path, state]) => [path, state.current.value]));
		const base = bases.get(id);
		households.set(id, {
			household: applyFieldValues(base, base?.doorId ?? doorIdOfHousehold(id), values),
			fields,
			conflicts: [...fields]
				.filter(([, state]) => state.conflict)
				.map(([field, state]) => ({
					field,
					heads: state.heads.map((h) => ({ id: h.id, value: h.value, user: h.user, hlc: h.hlc }))
				}))
				.sort((a, b) => (a.field < b.field ? -1 : 1)),
			history: [...fields.values()].flatMap((s) => s.history).sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0))
		});
	}

	const doors = new Map([...visits].map(([doorId, state]) => [doorId, doorState(state)]));
	const needs = [...needFields.values()].flatMap((fields) => (fields.created ? [deriveNeed(fields as NeedFields)] : []));
	return { doors, visits, households, needs };
}
