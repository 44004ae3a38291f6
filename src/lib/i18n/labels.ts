/**
 * Localized labels for domain values, so screens never show a code like `nobody_home`.
 */
import { m } from '$lib/paraglide/messages';
import type { DoorStatus } from '$lib/domain/visits';
import type { EventKind, VisitOutcome } from '$lib/domain/events';
import type { ChangesFileRefusal } from '$lib/domain/changes-file';
import type { Role } from '$lib/domain/access';
import type { Occupancy } from '$lib/domain/household';
import type { ApiErrorCode } from '$lib/sync/api';

export const statusLabel: Record<DoorStatus, () => string> = {
	not_visited: m.status_not_visited,
	done: m.status_done,
	by_phone: m.status_by_phone,
	nobody_home: m.status_nobody_home,
	refused: m.status_refused
};

export const outcomeLabel: Record<VisitOutcome, () => string> = {
	done: m.visit_outcome_done,
	nobody_home: m.visit_outcome_nobody_home,
	refused: m.visit_outcome_refused,
	by_phone: m.visit_outcome_by_phone
};

export const roleLabel: Record<Role, () => string> = {
	coordinator: m.home_role_coordinator,
	grid_worker: m.home_role_grid_worker,
	tester: m.home_role_tester,
	volunteer: m.home_role_volunteer
};

export const occupancyLabel: Record<Occupancy, () => string> = {
	lived_in: m.occupancy_lived_in,
	empty: m.occupancy_empty,
	rented_out: m.occupancy_rented_out,
	shop: m.occupancy_shop,
	other: m.occupancy_other
};

export function errorMessage(code: ApiErrorCode | string, detail = ''): string {
	switch (code) {
		case 'invalid_credentials':
			return m.errors_invalid_credentials();
		case 'too_many_attempts':
			return m.errors_too_many_attempts();
		case 'network':
			return m.errors_network();
		case 'session_expired':
			return m.errors_session_expired();
		default:
			return m.errors_unexpected({ detail: detail || code });
	}
}

/**
 * Message keys for the values of a domain enum, `${prefix}_${value}`: relation_head, flag_infant…
 * Every value of every enum listed in `enumLabelPrefixes` has a message (a unit test checks).
 */
export const enumLabelPrefixes = {
	relation: 'relation',
	sex: 'sex',
	residence: 'residence',
	flag: 'flag',
	flagShort: 'flag_short',
	needKind: 'need_kind',
	urgency: 'urgency',
	needStatus: 'need_status',
	occupancy: 'occupancy',
	issue: 'issue'
} as const;

const messages = m as unknown as Record<string, (() => string) | undefined>;

/** The label of a domain value in the current language, e.g. `label('relation', 'head')` → 户主. */
export function label(kind: keyof typeof enumLabelPrefixes, value: string): string {
	return messages[`${enumLabelPrefixes[kind]}_${value}`]?.() ?? value;
}

export const changesFileRefusalLabel: Record<ChangesFileRefusal, () => string> = {
	too_large: m.device_import_too_large,
	not_gridwalk: m.device_import_not_gridwalk,
	unknown_version: m.device_import_unknown_version,
	corrupted: m.device_import_corrupted,
	other_community: m.device_import_other_community,
	other_user: m.device_import_other_user,
	no_access: m.device_import_no_access,
	device_behind: m.device_import_device_behind
};

export const pendingKindLabel: Record<EventKind, (count: { count: number }) => string> = {
	visit: m.device_pending_visit,
	household: m.device_pending_household,
	need: m.device_pending_need
};
