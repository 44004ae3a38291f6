/**
 * Resident search: name, pinyin initials, full pinyin, phone, door number or the tail of an ID
 * number, over a whole community (30,000 people) on every keystroke.
 *
 * How it stays fast (DESIGN.md §5: ≤ 50 ms per keystroke):
 * - `createIndex` does the per-row work once, when the rows load: lower-cased fields in parallel
 *   arrays, phone digits, a map from door references ("502", "9-2-502") to rows, and each row's
 *   place in the tie-break order.
 * - A search is one pass of plain `startsWith`/`indexOf` over those strings: no regex, no
 *   lower-casing and no allocation per row; the best N are kept in a small sorted buffer instead
 *   of sorting every match; highlight ranges are worked out for the shown hits only. Fields
 *   the query cannot match are not looked at (a Chinese character is never in pinyin).
 * - Typing mostly extends the query. A `Searcher` remembers the rows that could still match some
 *   extension of the last query (a superset of its matches, closed under extending the query:
 *   "name contains q", "pinyin starts with q", "phone digits contain q"…) and scans only those.
 *   Door references are exact, so they are looked up in the map on every keystroke instead.
 *
 * Ranking, best first: door, name prefix, name contains, initials prefix, full pinyin prefix,
 * phone suffix, phone contains, ID tail. Within a kind the closer match wins (an exact name before
 * a longer one, an earlier position before a later one); then building, unit, door, member id.
 */

/** What search reads of a resident: `ResidentRow` (data/local-db.ts) fits it. */
export interface SearchRecord {
	id: string;
	buildingId: string;
	unitNo: number;
	/** "502" */
	doorLabel: string;
	/** "幸福里 9号楼 2单元": the building's number is read from its "9号楼" part. */
	place: string;
	name: string;
	/** Full pinyin, only a-z and 0-9: "wangxiuying". */
	pinyin: string;
	/** Only a-z and 0-9: "wxy". */
	initials: string;
	phone?: string;
	/** The last characters (six) of the ID number; never the whole number. */
	idTail?: string;
}

export const matchKinds = [
	'door',
	'name_prefix',
	'name_contains',
	'initials',
	'pinyin',
	'phone_suffix',
	'phone_contains',
	'id_tail'
] as const;
export type MatchKind = (typeof matchKinds)[number];

/** Which field of the record matched, and where: `[start, end)` in that field's own text. */
export interface Match {
	kind: MatchKind;
	field: 'doorLabel' | 'name' | 'initials' | 'pinyin' | 'phone' | 'idTail';
	start: number;
	end: number;
}

export interface Hit<T> {
	record: T;
	match: Match;
}

export interface SearchResult<T> {
	/** The query as matched (see `normalizeQuery`). */
	query: string;
	/** How many records match in all; `hits` holds the best of them. */
	total: number;
	hits: Hit<T>[];
}

export const DEFAULT_LIMIT = 50;
/** Phone and ID-tail matches need this many characters: fewer would match thousands of people. */
export const MIN_NUMBER_LENGTH = 4;

/**
 * The query as it is matched: full-width letters and digits (typed with a Chinese input method)
 * made half-width, lower case, every space (also the ideographic one) removed.
 */
export function normalizeQuery(input: string): string {
	return input
		.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
		.replace(/\s+/g, '')
		.toLowerCase();
}

// ---- index --------------------------------------------------------------------------------------

export interface SearchIndex<T extends SearchRecord> {
	readonly records: readonly T[];
	readonly names: readonly string[];
	readonly pinyins: readonly string[];
	readonly initials: readonly string[];
	/** Phone digits only ("01012345678" for "010-12345678"), '' without a phone. */
	readonly phones: readonly string[];
	/** Lower case ("10002x"), '' without an ID number. */
	readonly idTails: readonly string[];
	/** Each record's position in the tie-break order. */
	readonly order: Int32Array;
	/** Door reference (see `doorKey`) → records behind that door. */
	readonly doors: ReadonlyMap<string, readonly number[]>;
}

const BUILDING_TOKEN = /^([0-9a-z]+)(?:号楼|号|栋|幢|座)$/;

/** "9" for a place "幸福里 9号楼 2单元", or null when no part of it names a numbered building. */
function buildingKey(place: string): string | null {
	for (const token of place.toLowerCase().split(/\s+/)) {
		const match = BUILDING_TOKEN.exec(token);
		if (match) return match[1];
	}
	return null;
}

const DOOR_QUERY = /^(?:([0-9a-z]+)(?:号楼|号|栋|幢|座|#|-))?(?:(\d{1,2})(?:单元|-))?(\d{3,4})(?:室|号)?$/;

/**
 * A normalized query read as a door reference, or null: "502", "502室", "9-502", "9号楼502",
 * "9-2-502", "9号楼2单元502室", "2单元502" → "502", "9-502", "9-2-502", "-2-502".
 */
export function doorKey(query: string): string | null {
	const match = DOOR_QUERY.exec(query);
	if (!match) return null;
	const [, building, unit, label] = match;
	const unitPart = unit === undefined ? '' : `-${Number(unit)}`;
	if (building === undefined) return unit === undefined ? label : `${unitPart}-${label}`;
	return `${building}${unitPart}-${label}`;
}

/** Compares strings with runs of digits as numbers: "b9" before "b10". */
export function naturalCompare(a: string, b: string): number {
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		const ca = a.charCodeAt(i);
		const cb = b.charCodeAt(j);
		if (isDigit(ca) && isDigit(cb)) {
			// Compare the two runs of digits as numbers, without allocating: skip leading zeros,
			// then a longer run is larger, else the first differing digit decides.
			while (i < a.length - 1 && a.charCodeAt(i) === 48 && isDigit(a.charCodeAt(i + 1))) i++;
			while (j < b.length - 1 && b.charCodeAt(j) === 48 && isDigit(b.charCodeAt(j + 1))) j++;
			let ei = i;
			let ej = j;
			while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
			while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
			if (ei - i !== ej - j) return ei - i - (ej - j);
			for (; i < ei; i++, j++) {
				const d = a.charCodeAt(i) - b.charCodeAt(j);
				if (d !== 0) return d;
			}
		} else {
			if (ca !== cb) return ca - cb;
			i++;
			j++;
		}
	}
	return a.length - i - (b.length - j);
}

function isDigit(code: number): boolean {
	return code >= 48 && code <= 57;
}

/** Ranks of the distinct values, in natural order: a few hundred buildings or door labels. */
function ranks(values: Iterable<string>): Map<string, number> {
	return new Map([...new Set(values)].sort(naturalCompare).map((value, rank) => [value, rank]));
}

/**
 * Does the per-row work once, so that each keystroke only compares strings. Work that depends on
 * the door rather than the person (door references, the order of buildings and doors) is done per
 * distinct value: a community has 30,000 people but 10,000 doors and a few hundred buildings.
 */
export function createIndex<T extends SearchRecord>(records: readonly T[]): SearchIndex<T> {
	const n = records.length;
	const names = new Array<string>(n);
	const pinyins = new Array<string>(n);
	const initials = new Array<string>(n);
	const phones = new Array<string>(n);
	const idTails = new Array<string>(n);
	for (let i = 0; i < n; i++) {
		const r = records[i];
		names[i] = r.name.toLowerCase();
		pinyins[i] = r.pinyin.toLowerCase();
		initials[i] = r.initials.toLowerCase();
		phones[i] = r.phone ? r.phone.replace(/\D/g, '') : '';
		idTails[i] = r.idTail ? r.idTail.toLowerCase() : '';
	}

	// Tie-break order: building, unit, door (numbers as numbers), member id. Each row's door is
	// one number (building rank, unit, label rank), so a native sort of numbers does the bulk.
	const buildingRank = ranks(records.map((r) => r.buildingId));
	const labelRank = ranks(records.map((r) => r.doorLabel));
	const door = new Float64Array(n);
	const keys = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const r = records[i];
		door[i] = ((buildingRank.get(r.buildingId) as number) * 100 + r.unitNo) * labelRank.size + (labelRank.get(r.doorLabel) as number);
		keys[i] = door[i] * n + i;
	}
	keys.sort();
	const sorted = Array.from(keys, (key) => key % n);

	// One pass over the doors (runs of equal door numbers): members by id, and door references.
	const doors = new Map<string, number[]>();
	const buildingKeys = new Map<string, string | null>();
	const byId = (a: number, b: number) =>
		naturalCompare(records[a].id, records[b].id) || (records[a].id < records[b].id ? -1 : records[a].id > records[b].id ? 1 : 0);
	for (let from = 0; from < n; ) {
		let to = from + 1;
		while (to < n && door[sorted[to]] === door[sorted[from]]) to++;
		const members = sorted.slice(from, to);
		if (members.length > 1) {
			members.sort(byId);
			for (let k = 0; k < members.length; k++) sorted[from + k] = members[k];
		}
		const r = records[members[0]];
		let building = buildingKeys.get(r.place);
		if (building === undefined) buildingKeys.set(r.place, (building = buildingKey(r.place)));
		const label = r.doorLabel.toLowerCase();
		const references = [label, `-${r.unitNo}-${label}`];
		if (building !== null) references.push(`${building}-${label}`, `${building}-${r.unitNo}-${label}`);
		for (const reference of references) {
			const list = doors.get(reference);
			if (list) for (const i of members) list.push(i);
			else doors.set(reference, members.slice());
		}
		from = to;
	}

	const order = new Int32Array(n);
	for (let rank = 0; rank < n; rank++) order[sorted[rank]] = rank;
	return { records, names, pinyins, initials, phones, idTails, order, doors };
}

// ---- matching -----------------------------------------------------------------------------------

/** Score = kind × KIND_WEIGHT + closeness within the kind (0 = exact); lower is better. */
const KIND_WEIGHT = 1000;
const KIND = Object.fromEntries(matchKinds.map((k, i) => [k, i])) as Record<MatchKind, number>;
const NO_MATCH = -1;

/** What one query needs, worked out once per keystroke rather than once per row. */
interface Plan {
	query: string;
	/** The digits of a phone-like query ("138-1234" → "1381234"), else null. */
	digits: string | null;
	/** Digits after a "+86" the user typed, which stored phones do not carry. */
	phoneDigits: string | null;
	door: string | null;
	/** Pinyin and initials hold only a-z and 0-9: any other character rules them out, for every extension too. */
	spellable: boolean;
	/** Likewise an ID tail holds only digits and x. */
	idLike: boolean;
}

/** Digits with the separators people type; a lone "+" too, as the start of "+86…". */
const PHONE_LIKE = /^\+?[\d\-()]*$/;

function plan(query: string): Plan {
	const phoneLike = PHONE_LIKE.test(query);
	const digits = phoneLike ? query.replace(/\D/g, '') : null;
	const phoneDigits = digits !== null && query.startsWith('+86') ? digits.slice(2) : digits;
	return { query, digits, phoneDigits, door: doorKey(query), spellable: /^[a-z0-9]+$/.test(query), idLike: /^[0-9x]+$/.test(query) };
}

/**
 * The best match of record `i` by scanning (doors aside), or NO_MATCH. Also reports whether the
 * record could match some extension of the query, through `candidate`.
 */
function scoreRecord(index: SearchIndex<SearchRecord>, i: number, p: Plan, candidate: { value: boolean }): number {
	const q = p.query;
	let best = NO_MATCH;
	let could = false;

	const name = index.names[i];
	const at = name.indexOf(q);
	if (at >= 0) {
		could = true;
		best = at === 0 ? KIND.name_prefix * KIND_WEIGHT + Math.min(999, name.length - q.length) : KIND.name_contains * KIND_WEIGHT + Math.min(999, at * 32 + name.length - q.length);
	}
	if (p.spellable) {
		const ini = index.initials[i];
		if (ini.startsWith(q)) {
			could = true;
			const score = KIND.initials * KIND_WEIGHT + Math.min(999, ini.length - q.length);
			if (best === NO_MATCH || score < best) best = score;
		}
		const py = index.pinyins[i];
		if (py.startsWith(q)) {
			could = true;
			const score = KIND.pinyin * KIND_WEIGHT + Math.min(999, py.length - q.length);
			if (best === NO_MATCH || score < best) best = score;
		}
	}
	if (p.digits !== null) {
		const phone = index.phones[i];
		if (phone !== '') {
			// A "+…" query may drop its "+86" later on, so keep every phone as a candidate.
			const d = p.phoneDigits as string;
			const pos = phone.indexOf(d);
			if (pos >= 0 || q.startsWith('+')) could = true;
			if (pos >= 0 && d.length >= MIN_NUMBER_LENGTH) {
				const suffix = phone.endsWith(d);
				const score = suffix
					? KIND.phone_suffix * KIND_WEIGHT + Math.min(999, phone.length - d.length)
					: KIND.phone_contains * KIND_WEIGHT + Math.min(999, phone.length - d.length);
				if (best === NO_MATCH || score < best) best = score;
			}
		}
	}
	const tail = p.idLike ? index.idTails[i] : '';
	if (tail !== '' && tail.indexOf(q) >= 0) {
		could = true;
		if (q.length >= MIN_NUMBER_LENGTH && tail.endsWith(q)) {
			const score = KIND.id_tail * KIND_WEIGHT + (tail.length - q.length);
			if (best === NO_MATCH || score < best) best = score;
		}
	}
	candidate.value = could;
	return best;
}

/** The N best keys seen so far, ascending; `offer` is O(N) only when a key makes the cut. */
class TopN {
	readonly keys: number[] = [];
	readonly items: number[] = [];
	constructor(readonly limit: number) {}

	offer(key: number, item: number): void {
		const { keys, items, limit } = this;
		if (limit <= 0) return;
		if (keys.length >= limit && key >= keys[keys.length - 1]) return;
		let lo = 0;
		let hi = keys.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (keys[mid] <= key) lo = mid + 1;
			else hi = mid;
		}
		keys.splice(lo, 0, key);
		items.splice(lo, 0, item);
		if (keys.length > limit) {
			keys.pop();
			items.pop();
		}
	}
}

/** Where in its field a record matched, for the hits that are shown. */
function describe(index: SearchIndex<SearchRecord>, i: number, kind: MatchKind, p: Plan): Match {
	const r = index.records[i];
	const q = p.query;
	switch (kind) {
		case 'door':
			return { kind, field: 'doorLabel', start: 0, end: r.doorLabel.length };
		case 'name_prefix':
		case 'name_contains': {
			const start = index.names[i].indexOf(q);
			return { kind, field: 'name', start, end: Math.min(r.name.length, start + q.length) };
		}
		case 'initials':
			return { kind, field: 'initials', start: 0, end: q.length };
		case 'pinyin':
			return { kind, field: 'pinyin', start: 0, end: q.length };
		case 'phone_suffix':
		case 'phone_contains': {
			// Map positions in the phone's digits back to the phone as stored ("010-12345678").
			const d = p.phoneDigits as string;
			const from = index.phones[i].indexOf(d);
			const phone = r.phone ?? '';
			let digit = 0;
			let start = 0;
			let end = phone.length;
			for (let c = 0; c < phone.length; c++) {
				if (!isDigit(phone.charCodeAt(c))) continue;
				if (digit === from) start = c;
				if (digit === from + d.length - 1) {
					end = c + 1;
					break;
				}
				digit++;
			}
			return { kind, field: 'phone', start, end };
		}
		case 'id_tail': {
			const tail = r.idTail ?? '';
			return { kind, field: 'idTail', start: tail.length - q.length, end: tail.length };
		}
	}
}

interface Scan {
	total: number;
	top: TopN;
	/** Records that could match an extension of the query (see the module header). */
	candidates: Int32Array;
}

function scan(index: SearchIndex<SearchRecord>, p: Plan, within: Int32Array | null, limit: number): Scan {
	const n = index.records.length;
	const span = Math.max(1, n);
	const top = new TopN(limit);
	let total = 0;

	// Doors first: an exact lookup, outside the narrowing (a door query is not a prefix of its doors').
	const doorHits = p.door === null ? undefined : index.doors.get(p.door);
	const isDoorHit = doorHits && doorHits.length > 0 ? new Set(doorHits) : null;
	if (doorHits) {
		for (const i of doorHits) {
			total++;
			top.offer(KIND.door * KIND_WEIGHT * span + index.order[i], i);
		}
	}

	const count = within ? within.length : n;
	const next = new Int32Array(count);
	let kept = 0;
	const candidate = { value: false };
	for (let k = 0; k < count; k++) {
		const i = within ? within[k] : k;
		const score = scoreRecord(index, i, p, candidate);
		if (candidate.value) next[kept++] = i;
		if (score === NO_MATCH || isDoorHit?.has(i)) continue;
		total++;
		top.offer(score * span + index.order[i], i);
	}
	return { total, top, candidates: next.subarray(0, kept) };
}

function toResult<T extends SearchRecord>(index: SearchIndex<T>, p: Plan, s: Scan): SearchResult<T> {
	const span = Math.max(1, index.records.length);
	const hits = s.top.items.map((i, k) => {
		const kind = matchKinds[Math.floor(Math.floor(s.top.keys[k] / span) / KIND_WEIGHT)];
		return { record: index.records[i], match: describe(index, i, kind, p) };
	});
	return { query: p.query, total: s.total, hits };
}

/**
 * Searches an index, remembering the last query so that a query extending it scans only the
 * rows that could still match. One searcher per index; not shared between indexes.
 */
export class Searcher<T extends SearchRecord> {
	private last: { query: string; candidates: Int32Array } | null = null;

	constructor(readonly index: SearchIndex<T>) {}

	search(input: string, limit = DEFAULT_LIMIT): SearchResult<T> {
		const p = plan(normalizeQuery(input));
		if (p.query === '') {
			this.last = null;
			return { query: '', total: 0, hits: [] };
		}
		const within = this.last && p.query.startsWith(this.last.query) ? this.last.candidates : null;
		const s = scan(this.index, p, within, limit);
		this.last = { query: p.query, candidates: s.candidates };
		return toResult(this.index, p, s);
	}
}

/** A one-off search over records (builds an index: keep a `Searcher` for typing). */
export function search<T extends SearchRecord>(records: readonly T[], input: string, limit = DEFAULT_LIMIT): SearchResult<T> {
	return new Searcher(createIndex(records)).search(input, limit);
}

/** Splits text into runs for display, the `[start, end)` run marked. */
export function segments(text: string, start: number, end: number): { text: string; mark: boolean }[] {
	const s = Math.max(0, Math.min(text.length, start));
	const e = Math.max(s, Math.min(text.length, end));
	return [
		{ text: text.slice(0, s), mark: false },
		{ text: text.slice(s, e), mark: true },
		{ text: text.slice(e), mark: false }
	].filter((part) => part.text !== '');
}
