/**
 * The resident projection: one row per member of every household in a grid, with what search
 * matches on (name, pinyin, phone, door, the tail of the ID number), written to Dexie so that the
 * search screen reads one table instead of every register.
 *
 * Privacy: a row carries the ID number masked and its last six characters, never the number
 * itself; the full number stays in the register document and its edit form.
 *
 * Pinyin comes from pinyin-pro, which is 138 KB: it is imported on demand (a chunk of its own,
 * outside the app shell) the first time residents change, and kept for the session.
 */
import { householdIdOf, type Relation } from '../domain/household';
import { mask } from '../domain/id-number';
import { unitsOfGrid, doorsOfUnit, type Building, type Compound, type Grid } from '../domain/places';
import type { RegisterState } from '../domain/register';
import { normalizeQuery } from '../domain/search';
import type { CommunityIndex } from './community-index-doc';
import { getSetting, putSetting, type LocalDb, type ResidentRow } from './local-db';

/** A name's pinyin as search matches it: "wangxiuying" and "wxy". */
export interface NamePinyin {
	pinyin: string;
	initials: string;
}

export type ToPinyin = (name: string) => NamePinyin;

/**
 * A resident row with the member's relation to the head, which the result list shows.
 * Optional: rows stored before it was added do not have it.
 */
export type ResidentRecord = ResidentRow & { relation?: Relation };

/** How many characters of the ID number a row keeps for searching by its tail. */
export const ID_TAIL_LENGTH = 6;

/**
 * The rows of every member of every household behind the doors a grid holds, in door order.
 * `grids`: all of the community's (see `unitsOfGrid`); by default only this one.
 */
export function projectGridResidents(
	grid: Grid,
	buildings: ReadonlyMap<string, Building>,
	compounds: ReadonlyMap<string, Compound>,
	register: RegisterState,
	toPinyin: ToPinyin,
	grids: readonly Grid[] = [grid]
): ResidentRecord[] {
	const rows: ResidentRecord[] = [];
	for (const { building, unit } of unitsOfGrid(grid, grids, buildings)) {
		const compound = compounds.get(building.compoundId)?.name;
		for (const door of doorsOfUnit(building, unit)) {
			const household = register.households.get(householdIdOf(door.id))?.household;
			if (!household) continue;
			const place = [compound, building.name, `${door.unitNo}单元`].filter(Boolean).join(' ');
			for (const member of household.members) {
				// A member added by an edit may not have a name yet; search has nothing to show for it.
				if (!member.name) continue;
				const { pinyin, initials } = toPinyin(member.name);
				rows.push({
					id: member.id,
					householdId: household.id,
					doorId: door.id,
					gridId: grid.id,
					buildingId: building.id,
					unitNo: door.unitNo,
					doorLabel: door.label,
					place,
					name: member.name,
					relation: member.relation,
					pinyin,
					initials,
					phone: member.phone,
					idMasked: member.idNumber ? mask(member.idNumber) : undefined,
					idTail: member.idNumber ? member.idNumber.slice(-ID_TAIL_LENGTH) : undefined
				});
			}
		}
	}
	return rows;
}

/** Settings key of the fingerprint of a grid's stored rows (see refreshResidents). */
const fingerprintKey = (gridId: string) => `residents.fingerprint.${gridId}`;

/**
 * Replaces a grid's resident rows in one transaction, so search never sees half a grid, with the
 * fingerprint of the projection they came from (none: the next refresh rewrites them).
 */
export async function storeGridResidents(db: LocalDb, gridId: string, rows: readonly ResidentRecord[], fingerprint = ''): Promise<void> {
	await db.transaction('rw', db.residents, db.settings, async () => {
		await db.residents.where('gridId').equals(gridId).delete();
		await db.residents.bulkPut(rows);
		await putSetting(db, fingerprintKey(gridId), fingerprint);
	});
}

type PinyinPro = typeof import('pinyin-pro');

/** Pinyin of one name with pinyin-pro: surname readings for the first character(s) (曾 zeng, 单 shan, 解 xie). */
export function namePinyin(pinyinPro: PinyinPro, name: string): NamePinyin {
	const syllables = pinyinPro
		.pinyin(name, { toneType: 'none', type: 'array', surname: 'head', v: true })
		// Spaces, "·" in transcribed names, full-width letters: keep only what a query can type.
		.map((s) => normalizeQuery(s).replace(/[^a-z0-9]/g, ''))
		.filter((s) => s !== '');
	return { pinyin: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
}

/**
 * Loads pinyin-pro (a separate chunk) and returns a converter. Names repeat a lot in a community,
 * so each is converted once.
 */
export async function loadPinyin(): Promise<ToPinyin> {
	const pinyinPro = await import('pinyin-pro');
	const cache = new Map<string, NamePinyin>();
	return (name) => {
		let result = cache.get(name);
		if (!result) {
			// Bounded so a long session of renames cannot grow it without end.
			if (cache.size >= 100_000) cache.clear();
			cache.set(name, (result = namePinyin(pinyinPro, name)));
		}
		return result;
	};
}

/** Used when pinyin-pro cannot be loaded: names, phones and doors stay searchable. */
const latinOnly: ToPinyin = (name) => {
	const letters = normalizeQuery(name).replace(/[^a-z0-9]/g, '');
	return { pinyin: letters, initials: letters };
};

let converter: Promise<ToPinyin> | undefined;

function pinyinConverter(): Promise<ToPinyin> {
	converter ??= loadPinyin().catch((error: unknown) => {
		console.warn('pinyin-pro could not be loaded; searching without pinyin for now', error);
		converter = undefined;
		return latinOnly;
	});
	return converter;
}

/** Rows are compared before pinyin is added: pinyin follows from the name. */
const noPinyin: ToPinyin = () => ({ pinyin: '', initials: '' });

/**
 * Projects a grid's residents and stores them; call it whenever the grid's register changed.
 *
 * Most calls change no resident (a visit, a reload of the app): the rows are compared with the
 * fingerprint stored with the grid's rows, and nothing is written when they are the same, so the
 * search screen does not reload 30,000 rows and pinyin-pro is not even loaded. Otherwise
 * pinyin-pro is loaded (once) and the grid's rows are replaced.
 */
export async function refreshResidents(
	db: LocalDb,
	grid: Grid,
	index: Pick<CommunityIndex, 'buildings' | 'compounds'> & Partial<Pick<CommunityIndex, 'grids'>>,
	register: RegisterState
): Promise<void> {
	const buildings = new Map(index.buildings.map((b) => [b.id, b]));
	const compounds = new Map(index.compounds.map((c) => [c.id, c]));
	const rows = projectGridResidents(grid, buildings, compounds, register, noPinyin, index.grids ?? [grid]);
	const fingerprint = `${rows.length}.${hash(JSON.stringify(rows))}`;
	const [stored, count] = await Promise.all([
		getSetting<string>(db, fingerprintKey(grid.id)),
		db.residents.where('gridId').equals(grid.id).count()
	]);
	if (stored === fingerprint && count === rows.length) return;
	const toPinyin = await pinyinConverter();
	for (const row of rows) Object.assign(row, toPinyin(row.name));
	// Rows without real pinyin get no fingerprint, so that they are redone once pinyin-pro loads.
	await storeGridResidents(db, grid.id, rows, toPinyin === latinOnly ? '' : fingerprint);
}

/** cyrb53: a fast 53-bit string hash, plenty to tell one grid's rows from their next version. */
function hash(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
