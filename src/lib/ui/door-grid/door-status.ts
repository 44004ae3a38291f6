import type { DoorStatus } from '$lib/domain/visits';

/**
 * A door status is never shown by colour alone: each has a symbol too (colour-blind safe,
 * readable in a dim stairwell).
 */
export const statusSymbol: Record<DoorStatus, string> = {
	not_visited: '',
	done: '✓',
	by_phone: '☎',
	nobody_home: '↻',
	refused: '✕'
};

export const CONFLICT_SYMBOL = '!';
