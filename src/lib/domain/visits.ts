/**
 * A door's visit status, derived from its visit events.
 */
import type { FieldState, VisitEvent, VisitOutcome } from './events';

export const doorStatuses = ['not_visited', 'done', 'by_phone', 'nobody_home', 'refused'] as const;
export type DoorStatus = (typeof doorStatuses)[number];

export interface DoorState {
	status: DoorStatus;
	/** Two people recorded different outcomes without seeing each other's. */
	conflict: boolean;
	/** The outcomes in conflict, winner first, with who recorded them. */
	conflicting: { outcome: VisitOutcome; user: string; hlc: string }[];
	visits: number;
	lastVisit?: VisitEvent;
}

export const notVisited: DoorState = { status: 'not_visited', conflict: false, conflicting: [], visits: 0 };

export function doorState(visits: FieldState<VisitEvent> | undefined): DoorState {
	if (!visits) return notVisited;
	return {
		status: visits.current.value.outcome,
		conflict: visits.conflict,
		conflicting: visits.conflict
			? visits.heads.map((h) => ({ outcome: h.value.outcome, user: h.user, hlc: h.hlc }))
			: [],
		visits: visits.history.length,
		lastVisit: visits.history[visits.history.length - 1]
	};
}

/** Counts of doors per status, for progress bars and legends. */
export function countStatuses(states: Iterable<Pick<DoorState, 'status' | 'conflict'>>): Record<DoorStatus, number> & { conflict: number } {
	const counts = { not_visited: 0, done: 0, by_phone: 0, nobody_home: 0, refused: 0, conflict: 0 };
	for (const state of states) {
		counts[state.status]++;
		if (state.conflict) counts.conflict++;
	}
	return counts;
}

/** Door filters on the building screen. */
export const doorFilters = ['all', 'not_visited', 'revisit', 'done', 'vacant', 'flagged'] as const;
export type DoorFilter = (typeof doorFilters)[number];

export interface FilterableDoor {
	status: DoorStatus;
	occupancy?: string;
	flags: readonly string[];
}

export function matchesFilter(door: FilterableDoor, filter: DoorFilter): boolean {
	switch (filter) {
		case 'all':
			return true;
		case 'not_visited':
			return door.status === 'not_visited';
		case 'revisit':
			return door.status === 'nobody_home';
		case 'done':
			return door.status === 'done' || door.status === 'by_phone';
		case 'vacant':
			return door.occupancy === 'empty';
		case 'flagged':
			return door.flags.length > 0;
	}
}

/**
 * The next door to knock on: the first unvisited door after `afterId` in walking order (the
 * order given), wrapping around; undefined when every door has been visited.
 */
export function nextUnvisited<D extends FilterableDoor & { id: string }>(doors: readonly D[], afterId?: string): D | undefined {
	const start = afterId ? doors.findIndex((d) => d.id === afterId) + 1 : 0;
	for (let i = 0; i < doors.length; i++) {
		const door = doors[(start + i) % doors.length];
		if (door.status === 'not_visited' && door.id !== afterId) return door;
	}
	return undefined;
}
