/**
 * A grid's register as it stands: every door's visit status, every household file (base record
 * plus field edits), and every need, derived from the register document's households and events
 * in one pass. Pure: the same households and events, in any order, give the same state.
 */
import { byClock, reduce, type FieldState, type HouseholdEvent, type LogEvent, type NeedEvent, type VisitEvent } from './events';
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

export interface NeedFile {
	need: Need;
	/** Current state of each field (created, status, urgency): what a new change supersedes. */
	fields: ReadonlyMap<string, FieldState<NeedEvent>>;
	/** Every step, oldest first. */
	history: NeedEvent[];
}

export interface RegisterState {
	doors: ReadonlyMap<string, DoorState>;
	/** Visits by door id, oldest first. */
	visits: ReadonlyMap<string, FieldState<VisitEvent>>;
	households: ReadonlyMap<string, HouseholdFile>;
	needs: ReadonlyMap<string, NeedFile>;
}

/** The door a household id belongs to (see householdIdOf). */
export function doorIdOfHousehold(householdId: string): string {
	return householdId.replace(/^h-/, '');
}

export function deriveRegister(baseHouseholds: readonly Household[], events: readonly LogEvent[]): RegisterState {
	const states = reduce(events);
	const visits = new Map<string, FieldState<VisitEvent>>();
	const householdFields = new Map<string, Map<string, FieldState<HouseholdEvent>>>();
	const needFields = new Map<string, Map<string, FieldState<NeedEvent>>>();
	for (const state of states.values()) {
		const event = state.current;
		if (event.kind === 'visit') visits.set(event.entity, state as FieldState<VisitEvent>);
		else if (event.kind === 'household') {
			let fields = householdFields.get(event.entity);
			if (!fields) householdFields.set(event.entity, (fields = new Map()));
			fields.set(event.field, state as FieldState<HouseholdEvent>);
		} else {
			let fields = needFields.get(event.entity);
			if (!fields) needFields.set(event.entity, (fields = new Map()));
			fields.set(event.field, state as FieldState<NeedEvent>);
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
			history: [...fields.values()].flatMap((s) => s.history).sort(byClock)
		});
	}

	const doors = new Map([...visits].map(([doorId, state]) => [doorId, doorState(state)]));
	const needs = new Map<string, NeedFile>();
	for (const [id, fields] of needFields) {
		const current = (field: string) => {
			const event = fields.get(field)?.current;
			return event && { value: event.value, user: event.user, hlc: event.hlc };
		};
		// A need whose creation has not arrived yet (only a status change synced) is not shown.
		if (!fields.has('created')) continue;
		const need = deriveNeed({ id, created: current('created'), status: current('status'), urgency: current('urgency') } as NeedFields);
		const history = [...fields.values()].flatMap((f) => f.history).sort(byClock);
		needs.set(id, { need, fields, history });
	}
	return { doors, visits, households, needs };
}
