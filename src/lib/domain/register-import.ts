/**
 * Importing a community's own spreadsheet (一户一档 / 住户名册) into the places and the register.
 *
 * Input: the sheet as rows of strings (a header row, then one row per person or per household),
 * which column holds which target, the grid to import into and what the community already has.
 * Output: either a plan (new compounds, new or grown buildings, the grid with its new buildings,
 * the households with their members, counts and a preview) or every row error, each with the
 * spreadsheet row number, the column, a reason code and the value as written. Nothing is ever
 * planned from a sheet with an error: the import is all or nothing.
 *
 * Values are accepted as staff write them (男/女, 户主, "2单元", "9号楼", "502室", full-width
 * digits, Excel date serials, 1980/1/2, 19800102…) and then checked by the same rules as the
 * household form (validation.ts) and the stored-value schemas (household.ts, places.ts).
 *
 * Places are matched by name: a compound by its name, a building by its number ("9号楼" = "9栋"
 * = "9#" = "9") within its compound. Units grow to the highest floor and door position the
 * sheet names; nothing ever shrinks, so door ids already in use stay valid.
 *
 * Pure: no I/O, and ids of new places are derived from their names, so the same sheet gives
 * the same plan on every device.
 */
import * as idNumber from './id-number';
import { normalizePhone } from './contact';
import {
	householdIdOf,
	householdSchema,
	memberSchema,
	relations,
	residenceStatuses,
	sexes,
	type Household,
	type Member,
	type Occupancy
} from './household';
import {
	buildingSchema,
	compoundSchema,
	doorId,
	doorLabel,
	gridSchema,
	unitHolders,
	type Building,
	type Compound,
	type Grid,
	type Unit
} from './places';
import { memberIssues, type IssueCode, type MemberForm } from './validation';
import type { HouseholdFile } from './register';

// ---- targets and header suggestions -----------------------------------------------------------

/** What a column can hold. Household-level targets first, then the member's. */
export const targets = [
	'compound',
	'building',
	'unit',
	'floor',
	'door',
	'occupancy',
	'householdPhone',
	'name',
	'relation',
	'sex',
	'birth',
	'phone',
	'idNumber',
	'residence',
	'notes'
] as const;
export type Target = (typeof targets)[number];

/** `idNumber` → `id_number`, as message keys and codes are written. */
export const snakeCase = (target: Target): string => target.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The target of each column, by column index; null for a column that is not imported. */
export type ColumnMapping = readonly (Target | null)[];

const memberTargets: readonly Target[] = ['name', 'relation', 'sex', 'birth', 'phone', 'idNumber', 'residence'];

/**
 * Headers staff use, per target. `exact` must be the whole header; `contains` may be part of a
 * longer one ("户主联系电话"). The first exact word is the header this app writes on export.
 */
export const headerWords: Record<Target, { exact: readonly string[]; contains: readonly string[] }> = {
	compound: { exact: ['小区', '小区名称', '小区名', '院落', 'compound'], contains: ['小区'] },
	building: { exact: ['楼栋', '楼号', '楼栋号', '栋号', '楼', '栋', '幢', '楼宇', 'building'], contains: ['楼栋', '楼号', '栋号'] },
	unit: { exact: ['单元', '单元号', 'unit'], contains: ['单元'] },
	floor: { exact: ['楼层', '层', '层数', '所在楼层', 'floor'], contains: ['楼层'] },
	door: {
		exact: ['门牌号', '房号', '室', '门牌', '房间号', '室号', '户号', '房屋号', 'door', 'room'],
		contains: ['门牌', '房号', '房间号', '室号']
	},
	occupancy: {
		exact: ['居住状态', '居住情况', '房屋状态', '房屋用途', '使用情况', 'occupancy'],
		contains: ['居住状态', '居住情况', '房屋状态', '房屋用途']
	},
	householdPhone: {
		exact: ['家庭电话', '户联系电话', '户主电话', '户主联系电话', '住户电话', '户电话', 'household phone'],
		contains: ['家庭电话', '户主电话', '户主联系电话', '户联系电话']
	},
	name: { exact: ['姓名', '名字', '居民姓名', '人员姓名', '成员姓名', '户主姓名', '户主', 'name'], contains: ['姓名'] },
	relation: { exact: ['与户主关系', '与户主的关系', '关系', '家庭关系', 'relation'], contains: ['关系'] },
	sex: { exact: ['性别', 'sex', 'gender'], contains: ['性别'] },
	birth: {
		exact: ['出生日期', '出生年月', '出生年月日', '出生年份', '生日', 'birth', 'date of birth'],
		contains: ['出生', '生日']
	},
	phone: {
		exact: ['联系电话', '手机号', '手机号码', '手机', '电话', '电话号码', '联系方式', 'phone', 'mobile'],
		contains: ['手机', '电话']
	},
	idNumber: {
		exact: ['身份证号', '身份证号码', '身份证', '公民身份号码', '证件号码', '证件号', 'id number'],
		contains: ['身份证', '身份号码', '证件号']
	},
	residence: {
		exact: ['户籍类型', '人员类型', '居住类型', '人口类型', '户籍状态', '人员类别', 'residence'],
		contains: ['户籍类型', '人员类型', '人口类型', '人员类别']
	},
	notes: { exact: ['备注', '说明', '其他情况', 'notes'], contains: ['备注'] }
};

/** "* 身份证号（必填）：" → "身份证号": decoration staff add to headers. */
function headerText(header: string): string {
	return halfWidth(header)
		.replace(/\(.*?\)|\[.*?\]/g, '')
		.replace(/[\s*:]/g, '')
		.toLowerCase();
}

/**
 * A suggested mapping for a header row: exact header words first, then words inside longer
 * headers, longest first (so "家庭电话" goes to the household phone before "电话" can claim it).
 * Each target is suggested for one column at most.
 */
export function suggestMapping(headers: readonly string[]): (Target | null)[] {
	const mapping: (Target | null)[] = headers.map(() => null);
	const used = new Set<Target>();
	const texts = headers.map(headerText);
	texts.forEach((text, column) => {
		const target = targets.find((t) => !used.has(t) && headerWords[t].exact.some((w) => w.replace(/\s/g, '') === text));
		if (target) {
			mapping[column] = target;
			used.add(target);
		}
	});
	const containsWords = targets
		.flatMap((target) => headerWords[target].contains.map((word) => ({ target, word })))
		.sort((a, b) => b.word.length - a.word.length);
	texts.forEach((text, column) => {
		if (mapping[column] || !text) return;
		const hit = containsWords.find(({ target, word }) => !used.has(target) && text.includes(word));
		if (hit) {
			mapping[column] = hit.target;
			used.add(hit.target);
		}
	});
	return mapping;
}

/**
 * The header row: the first of the first ten rows in which at least two columns are recognised.
 * Staff sheets often start with a title row ("东风社区住户登记表") above the headers.
 */
export function findHeaderRow(rows: readonly (readonly string[])[]): number {
	const limit = Math.min(rows.length, 10);
	for (let i = 0; i < limit; i++) {
		if (suggestMapping(rows[i]).filter((t) => t !== null).length >= 2) return i;
	}
	return 0;
}

// ---- values as staff write them ---------------------------------------------------------------

/** Full-width ASCII (ＡＢ１２３) and the ideographic space become their plain forms. */
export function halfWidth(text: string): string {
	return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const clean = (text: string | undefined) => halfWidth(text ?? '').trim();
const compact = (text: string | undefined) => clean(text).replace(/\s+/g, '');

const CHINESE_DIGITS = '零一二三四五六七八九';

/** 1–99 from "12", "十二", "二十", "二十三"; null otherwise. */
export function smallNumber(text: string): number | null {
	if (/^\d{1,3}$/.test(text)) return Number(text);
	const match = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text.replace(/两/g, '二'));
	if (!match || !text) return null;
	const [, tens, ten, ones] = match;
	if (!ten) return tens && !ones ? CHINESE_DIGITS.indexOf(tens) : null;
	return (tens ? CHINESE_DIGITS.indexOf(tens) : 1) * 10 + (ones ? CHINESE_DIGITS.indexOf(ones) : 0);
}

/** Words staff write for each value; the first is the one this app writes on export. */
export const relationWords: Record<(typeof relations)[number], readonly string[]> = {
	head: ['户主', '本人', 'head'],
	spouse: ['配偶', '妻', '妻子', '夫', '丈夫', '爱人', '老伴', 'spouse'],
	child: ['子女', '子', '女', '儿子', '女儿', '长子', '次子', '长女', '次女', '儿媳', '女婿', 'child'],
	parent: ['父母', '父亲', '母亲', '父', '母', '岳父', '岳母', '公公', '婆婆', 'parent'],
	grandchild: ['孙子女', '孙子', '孙女', '外孙', '外孙子', '外孙女', 'grandchild'],
	sibling: ['兄弟姐妹', '兄', '弟', '姐', '妹', '哥哥', '弟弟', '姐姐', '妹妹', 'sibling'],
	tenant: ['租客', '租户', '承租人', 'tenant'],
	other: ['其他', '其它', '亲属', '保姆', 'other']
};

export const sexWords: Record<(typeof sexes)[number], readonly string[]> = {
	male: ['男', '男性', 'm', 'male'],
	female: ['女', '女性', 'f', 'female']
};

export const residenceWords: Record<(typeof residenceStatuses)[number], readonly string[]> = {
	registered: ['户籍', '户籍人口', '户籍人员', 'registered'],
	long_term: ['常住', '常住人口', '常住人员', 'long_term'],
	temporary: ['暂住', '暂住人口', '流动', '流动人口', '寄住', 'temporary'],
	accompanying_student: ['陪读', 'accompanying_student']
};

export const occupancyWords: Record<Occupancy, readonly string[]> = {
	lived_in: ['自住', '居住', '在住', '入住', 'lived_in'],
	empty: ['空置', '空房', '空', '无人居住', 'empty'],
	rented_out: ['出租', '租住', '出租房', 'rented_out'],
	shop: ['商铺', '商用', '门面', '门市', 'shop'],
	other: ['其他', '其它', 'other']
};

function wordLookup<C extends string>(words: Record<C, readonly string[]>): (text: string) => C | null {
	const map = new Map<string, C>();
	for (const [code, list] of Object.entries(words) as [C, readonly string[]][]) {
		for (const word of list) map.set(word.toLowerCase(), code);
	}
	return (text) => map.get(compact(text).toLowerCase()) ?? null;
}

export const parseRelation = wordLookup(relationWords);
export const parseSex = wordLookup(sexWords);
export const parseResidence = wordLookup(residenceWords);
export const parseOccupancy = wordLookup(occupancyWords);

/** "9号楼", "9栋", "9幢", "9#", "九号楼", "9" → 9; "A座" → null (kept as a name). */
export function buildingNumber(name: string): number | null {
	const match = /^第?(.+?)(号楼|号|栋|幢|#|楼)?$/.exec(compact(name));
	return match ? smallNumber(match[1]) : null;
}

/** How a building is known in its compound: its number when it has one, else its name. */
function buildingKey(name: string): string {
	const no = buildingNumber(name);
	return no === null ? `name:${compact(name)}` : `no:${no}`;
}

/** "2单元", "第二单元", "2" → 2. */
export function parseUnit(text: string): number | null {
	const match = /^第?(.+?)(单元)?$/.exec(compact(text));
	const no = match ? smallNumber(match[1]) : null;
	return no !== null && no >= 1 && no <= 99 ? no : null;
}

/** "5", "5层", "5楼", "五层", "5F" → 5. */
export function parseFloor(text: string): number | null {
	const match = /^第?(.+?)(层|楼|f|F)?$/.exec(compact(text));
	const floor = match ? smallNumber(match[1]) : null;
	return floor !== null && floor >= 1 && floor <= 99 ? floor : null;
}

export type DoorParse =
	| { ok: true; floor: number; position: number; unit?: number }
	| { ok: false; code: 'door_format' | 'door_floor_mismatch' };

/**
 * "502", "502室", "1203号", "2-502" (unit 2), or with a floor column "2" / "02" (the door's
 * position on that floor). Door numbers are floor + two-digit position, as on the doors.
 */
export function parseDoor(text: string, floor?: number): DoorParse {
	let value = compact(text).replace(/(室|号|户|房)$/, '');
	let unit: number | undefined;
	const withUnit = /^(\d{1,2})[-_—](\d{1,4})$/.exec(value);
	if (withUnit) {
		unit = Number(withUnit[1]);
		value = withUnit[2];
	}
	let parsed: { floor: number; position: number };
	if (/^\d{3,4}$/.test(value)) {
		const n = Number(value);
		parsed = { floor: Math.floor(n / 100), position: n % 100 };
		if (floor !== undefined && floor !== parsed.floor) return { ok: false, code: 'door_floor_mismatch' };
	} else if (/^\d{1,2}$/.test(value) && floor !== undefined) {
		parsed = { floor, position: Number(value) };
	} else return { ok: false, code: 'door_format' };
	if (parsed.floor < 1 || parsed.floor > 99 || parsed.position < 1 || parsed.position > 40 || unit === 0)
		return { ok: false, code: 'door_format' };
	return { ok: true, ...parsed, unit };
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * A birth date or year as staff write it, as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the form's rules
 * judge it afterwards); null when it is not a date at all. Excel date serials (days since
 * 1899-12-30, e.g. 29222 = 1980-01-02; right from 1900-03-01 on, as Excel counts a 29 February
 * 1900 that never was) come from cells Excel shows as dates.
 */
export function parseBirth(text: string): string | null {
	const value = compact(text).replace(/\d{1,2}:\d{2}(:\d{2})?(\.\d+)?$/, '');
	const year = /^(\d{4})年?$/.exec(value);
	const yearMonth = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(value);
	const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value);
	const pad = (n: string) => n.padStart(2, '0');
	if (year) return year[1];
	if (yearMonth) return `${yearMonth[1]}-${pad(yearMonth[2])}`;
	if (full) return `${full[1]}-${pad(full[2])}-${pad(full[3])}`;
	// Five digits only (from 1927-05-18 on): a four-digit number is a year, right or wrong.
	const serial = /^(\d{5})(\.0+)?$/.exec(value);
	if (serial && Number(serial[1]) < 73051) return new Date(EXCEL_EPOCH + Number(serial[1]) * 86_400_000).toISOString().slice(0, 10);
	return null;
}

// ---- the import ------------------------------------------------------------------------------

export const errorCodes = [
	'no_rows',
	'unknown_grid',
	'missing_column',
	'duplicate_column',
	'missing_required',
	'text_too_long',
	'unit_format',
	'floor_format',
	'door_format',
	'door_floor_mismatch',
	'door_unit_mismatch',
	'unknown_occupancy',
	'phone_format',
	'unknown_relation',
	'unknown_sex',
	'unknown_residence',
	'birth_format',
	'birth_future',
	'id_format',
	'id_birth_date',
	'id_checksum',
	'id_birth_mismatch',
	'id_sex_mismatch',
	'duplicate_person',
	'door_in_other_grid',
	'household_exists',
	'household_mismatch',
	'too_many_members',
	'too_large',
	'invalid_record'
] as const;
export type ImportErrorCode = (typeof errorCodes)[number];

export interface RowError {
	/** Spreadsheet row number, 1-based, as the spreadsheet program shows it (the header is row 1). */
	row: number;
	/** Column index, 0-based; null when the error is about a column that is not mapped. */
	column: number | null;
	target: Target | null;
	code: ImportErrorCode;
	/** The value as written in the sheet, or '' */
	value: string;
}

export interface ExistingPlaces {
	compounds: readonly Compound[];
	buildings: readonly Building[];
	grids: readonly Grid[];
}

export interface ImportInput {
	rows: readonly (readonly string[])[];
	/** Index of the header row in `rows` (see findHeaderRow); 0 when omitted. */
	headerRow?: number;
	mapping: ColumnMapping;
	gridId: string;
	existing: ExistingPlaces;
	/** Doors that already have a household file with people or edits: never overwritten. */
	occupiedDoors?: ReadonlySet<string>;
	/** ID numbers already in the register, with the door of each: a person is registered once. */
	knownIdNumbers?: ReadonlyMap<string, string>;
	/** The compound of every row when the sheet has no compound column. */
	defaultCompound?: string;
	/** Today (`YYYY-MM-DD`): no one is born after it. */
	today: string;
}

export interface PlannedDoor {
	doorId: string;
	compoundName: string;
	buildingName: string;
	unitNo: number;
	floor: number;
	label: string;
	/** Spreadsheet rows of this door, in sheet order. */
	rows: number[];
	/** Absent when the rows name the door and nothing else. */
	household?: Household;
}

export interface ImportCounts {
	rows: number;
	newCompounds: number;
	newBuildings: number;
	/** Existing buildings that get more units, floors or doors. */
	grownBuildings: number;
	/** Doors the sheet names. */
	doors: number;
	/** Doors that did not exist before. */
	newDoors: number;
	households: number;
	people: number;
}

export interface ImportPlan {
	gridId: string;
	/** New compounds to write. */
	compounds: Compound[];
	/** New and grown buildings, whole, to write. */
	buildings: Building[];
	/** The target grid with its new buildings; unchanged when the sheet adds none. */
	grid: Grid;
	/** Households to write into the target grid's register. */
	households: Household[];
	/** Every door the sheet names, in sheet order (for the preview). */
	doors: PlannedDoor[];
	counts: ImportCounts;
}

export type ImportResult = { ok: true; plan: ImportPlan } | { ok: false; errors: RowError[] };

/** FNV-1a, base 36: short ids for new places, the same on every device for the same name. */
function hash(text: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return (h >>> 0).toString(36);
}

interface PersonRow {
	row: number;
	/** Absent when the sheet does not say: the household's first such person is its head. */
	relation?: Member['relation'];
	member: Omit<Member, 'id' | 'relation'>;
}

interface DoorDraft {
	doorId: string;
	compoundName: string;
	buildingKey: string;
	buildingName: string;
	unitNo: number;
	floor: number;
	position: number;
	rows: number[];
	people: PersonRow[];
	occupancy?: { value: Occupancy; text: string };
	phone?: { value: string; text: string };
	notes: string[];
	/** Anything beyond the door itself was written. */
	hasHousehold: boolean;
}

const issueCode = (code: IssueCode): ImportErrorCode =>
	code === 'required' ? 'missing_required' : code === 'too_long' ? 'text_too_long' : code;

/** Validates a sheet and plans its import, or lists every error. See the module header. */
export function planImport(input: ImportInput): ImportResult {
	const headerRow = input.headerRow ?? 0;
	const errors: RowError[] = [];
	const fail = (row: number, target: Target | null, code: ImportErrorCode, value = '') =>
		errors.push({ row, column: target ? columnOf(target) : null, target, code, value });

	// The mapping itself: each target once, the place columns present.
	const columns = new Map<Target, number>();
	input.mapping.forEach((target, column) => {
		if (!target) return;
		if (columns.has(target)) errors.push({ row: headerRow + 1, column, target, code: 'duplicate_column', value: input.rows[headerRow]?.[column] ?? '' });
		else columns.set(target, column);
	});
	const columnOf = (target: Target) => columns.get(target) ?? null;
	const defaultCompound = clean(input.defaultCompound);
	for (const target of ['building', 'door'] as const) if (!columns.has(target)) fail(headerRow + 1, target, 'missing_column');
	if (!columns.has('compound') && !defaultCompound) fail(headerRow + 1, 'compound', 'missing_column');
	const grid = input.existing.grids.find((g) => g.id === input.gridId);
	if (!grid) fail(headerRow + 1, null, 'unknown_grid', input.gridId);
	const dataRows = input.rows
		.map((cells, index) => ({ cells, row: index + 1 }))
		.slice(headerRow + 1)
		.filter(({ cells }) => cells.some((cell) => clean(cell) !== ''));
	if (dataRows.length === 0) fail(headerRow + 1, null, 'no_rows');
	if (errors.length > 0 || !grid) return { ok: false, errors };

	const get = (cells: readonly string[], target: Target) => {
		const column = columns.get(target);
		return column === undefined ? '' : clean(cells[column]);
	};
	const mapped = (target: Target) => columns.has(target);

	// Existing places, by the names staff use.
	const compoundsByName = new Map(input.existing.compounds.map((c) => [compact(c.name), c]));
	const buildingsByKey = new Map(input.existing.buildings.map((b) => [`${b.compoundId}|${buildingKey(b.name)}`, b]));
	const gridOfBuilding = new Map(input.existing.grids.flatMap((g) => g.buildingIds.map((id) => [id, g.id] as const)));
	const takenCompoundIds = new Set(input.existing.compounds.map((c) => c.id));
	const takenBuildingIds = new Set(input.existing.buildings.map((b) => b.id));

	const newCompounds = new Map<string, Compound>();
	const compoundFor = (name: string): Compound => {
		const key = compact(name);
		const found = compoundsByName.get(key) ?? newCompounds.get(key);
		if (found) return found;
		let id = `cp-${hash(key)}`;
		for (let n = 2; takenCompoundIds.has(id); n++) id = `cp-${hash(key)}-${n}`;
		takenCompoundIds.add(id);
		const compound: Compound = { v: 1, id, name };
		newCompounds.set(key, compound);
		return compound;
	};

	/** Buildings the sheet names, by compound id and building key. */
	const sheetBuildings = new Map<string, { existing?: Building; id: string; compoundId: string; name: string; units: Map<number, Unit> }>();
	const buildingFor = (compound: Compound, name: string) => {
		const key = `${compound.id}|${buildingKey(name)}`;
		let entry = sheetBuildings.get(key);
		if (entry) return entry;
		const existing = buildingsByKey.get(key);
		if (existing) {
			entry = { existing, id: existing.id, compoundId: compound.id, name: existing.name, units: new Map(existing.units.map((u) => [u.no, { ...u }])) };
		} else {
			const no = buildingNumber(name);
			const canonical = no === null ? name : `${no}号楼`;
			let id = no === null ? `${compound.id}-b${hash(compact(name))}` : `${compound.id}-b${no}`;
			for (let n = 2; takenBuildingIds.has(id); n++) id = `${compound.id}-b${no ?? hash(compact(name))}-${n}`;
			takenBuildingIds.add(id);
			entry = { id, compoundId: compound.id, name: canonical, units: new Map() };
		}
		sheetBuildings.set(key, entry);
		return entry;
	};

	const doors = new Map<string, DoorDraft>();
	const idNumbersSeen = new Map<string, number>();

	for (const { cells, row } of dataRows) {
		const rowErrors = errors.length;

		// Where: compound, building, unit, floor, door.
		const compoundName = mapped('compound') ? get(cells, 'compound') || '' : defaultCompound;
		const buildingName = get(cells, 'building');
		const unitText = get(cells, 'unit');
		const floorText = get(cells, 'floor');
		const doorText = get(cells, 'door');
		if (!compoundName) fail(row, 'compound', 'missing_required');
		else if (!compoundSchema.shape.name.safeParse(compoundName).success) fail(row, 'compound', 'text_too_long', compoundName);
		if (!buildingName) fail(row, 'building', 'missing_required');
		else if (!buildingSchema.shape.name.safeParse(buildingName).success) fail(row, 'building', 'text_too_long', buildingName);
		const unitNo = unitText ? parseUnit(unitText) : 1;
		if (unitNo === null) fail(row, 'unit', 'unit_format', unitText);
		const floor = floorText ? parseFloor(floorText) : undefined;
		if (floor === null) fail(row, 'floor', 'floor_format', floorText);
		// A door on an unreadable floor is that floor's error alone.
		const door = doorText && floor !== null ? parseDoor(doorText, floor) : null;
		if (!doorText) fail(row, 'door', 'missing_required');
		else if (door && !door.ok) fail(row, 'door', door.code, doorText);
		else if (door?.ok && door.unit !== undefined && unitText && door.unit !== unitNo) fail(row, 'door', 'door_unit_mismatch', doorText);

		// The household's own fields.
		const occupancyText = get(cells, 'occupancy');
		const occupancy = occupancyText ? parseOccupancy(occupancyText) : undefined;
		if (occupancy === null) fail(row, 'occupancy', 'unknown_occupancy', occupancyText);
		// With no name column there are no people: a phone column is then the household's.
		const phoneTarget: Target = mapped('householdPhone') || mapped('name') ? 'householdPhone' : 'phone';
		const householdPhoneText = get(cells, phoneTarget);
		const householdPhone = householdPhoneText ? normalizePhone(householdPhoneText) : undefined;
		if (householdPhone === null) fail(row, phoneTarget, 'phone_format', householdPhoneText);
		const notes = get(cells, 'notes');

		// The person, when the row names one.
		const personTargets = mapped('name') ? memberTargets : memberTargets.filter((t) => t !== 'phone');
		const person = personTargets.some((t) => get(cells, t) !== '') ? parsePerson(cells, row) : undefined;

		if (errors.length > rowErrors || !door?.ok || unitNo === null || !compoundName || !buildingName) continue;

		const compound = compoundFor(compoundName);
		const building = buildingFor(compound, buildingName);
		const unit = door.unit ?? unitNo;
		// A unit another grid holds (its building's grid, or a grid it was assigned to on its own).
		const holders = unitHolders(input.existing.grids, building.id, unit);
		if (holders.length > 0 && !holders.includes(grid.id)) {
			fail(row, 'building', 'door_in_other_grid', buildingName);
			continue;
		}
		const id = doorId(building.id, unit, door.floor, door.position);
		let draft = doors.get(id);
		if (!draft) {
			draft = {
				doorId: id,
				compoundName: compound.name,
				buildingKey: `${compound.id}|${buildingKey(buildingName)}`,
				buildingName: building.name,
				unitNo: unit,
				floor: door.floor,
				position: door.position,
				rows: [],
				people: [],
				notes: [],
				hasHousehold: false
			};
			doors.set(id, draft);
		}
		draft.rows.push(row);
		if (occupancy) {
			if (draft.occupancy && draft.occupancy.value !== occupancy) fail(row, 'occupancy', 'household_mismatch', occupancyText);
			draft.occupancy ??= { value: occupancy, text: occupancyText };
		}
		if (householdPhone) {
			if (draft.phone && draft.phone.value !== householdPhone) fail(row, phoneTarget, 'household_mismatch', householdPhoneText);
			draft.phone ??= { value: householdPhone, text: householdPhoneText };
		}
		if (notes && !draft.notes.includes(notes)) draft.notes.push(notes);
		if (person) draft.people.push(person);
		draft.hasHousehold ||= !!(occupancy || householdPhone || notes || person);

		// Units grow to hold every door the sheet names.
		const current = building.units.get(unit);
		building.units.set(unit, {
			no: unit,
			floors: Math.max(current?.floors ?? 1, door.floor),
			doorsPerFloor: Math.max(current?.doorsPerFloor ?? 1, door.position)
		});
	}

	function parsePerson(cells: readonly string[], row: number): PersonRow | undefined {
		const errorCount = errors.length;
		const relationText = get(cells, 'relation');
		const sexText = get(cells, 'sex');
		const birthText = get(cells, 'birth');
		const residenceText = get(cells, 'residence');
		const idText = get(cells, 'idNumber').replace(/\s/g, '');
		const relation = relationText ? parseRelation(relationText) : undefined;
		if (relation === null) fail(row, 'relation', 'unknown_relation', relationText);
		const sex = sexText ? parseSex(sexText) : undefined;
		if (sex === null) fail(row, 'sex', 'unknown_sex', sexText);
		const residence = residenceText ? parseResidence(residenceText) : undefined;
		if (residence === null) fail(row, 'residence', 'unknown_residence', residenceText);
		const birth = birthText ? parseBirth(birthText) : undefined;
		if (birth === null) fail(row, 'birth', 'birth_format', birthText);

		// What the ID number says fills what the sheet leaves empty; the form's rules check that
		// the two agree when both are written.
		const id = idText ? idNumber.normalize(idText) : '';
		const idOk = id !== '' && idNumber.problem(id) === null;
		const idBirth = idOk ? idNumber.birthDate(id)! : undefined;
		// "1980-01" is kept as the year: the register holds a year or a whole date.
		const writtenBirth = birth && birth.length === 7 ? birth.slice(0, 4) : birth;
		if (birth && birth.length === 7 && idBirth && !idBirth.startsWith(birth)) fail(row, 'idNumber', 'id_birth_mismatch', idText);
		const form: MemberForm = {
			name: get(cells, 'name'),
			relation: relation ?? 'other',
			sex: sex ?? (idOk ? idNumber.sex(id) : ''),
			birth: writtenBirth ?? idBirth ?? '',
			phone: get(cells, 'phone'),
			idNumber: id,
			residence: residence ?? 'registered'
		};
		const issues = memberIssues(form, new Date(`${input.today}T12:00:00Z`));
		for (const [field, code] of Object.entries(issues) as [keyof MemberForm, IssueCode][]) {
			const target: Target = field;
			// A missing sex or birth that an invalid ID number would have given is that ID's error.
			if (code === 'required' && (field === 'sex' || field === 'birth') && id !== '' && !idOk) continue;
			if (errors.some((e) => e.row === row && e.target === target)) continue;
			fail(row, target, issueCode(code), get(cells, target));
		}
		if (idOk) {
			const firstRow = idNumbersSeen.get(id);
			if (firstRow !== undefined || input.knownIdNumbers?.has(id)) fail(row, 'idNumber', 'duplicate_person', idText);
			else idNumbersSeen.set(id, row);
		}
		if (errors.length > errorCount) return undefined;
		// A year that the ID number's full date agrees with is stored as that date.
		const birthValue = writtenBirth && idBirth?.startsWith(writtenBirth) ? idBirth : form.birth;
		return {
			row,
			relation: relation ?? undefined,
			member: {
				name: form.name,
				sex: form.sex as Member['sex'],
				birth: birthValue,
				phone: form.phone ? normalizePhone(form.phone)! : undefined,
				idNumber: id || undefined,
				residence: form.residence as Member['residence'],
				flags: []
			}
		};
	}

	// Households, each checked against what is already on the door and by the stored schema.
	const plannedDoors: PlannedDoor[] = [];
	const households: Household[] = [];
	for (const draft of doors.values()) {
		let household: Household | undefined;
		if (draft.hasHousehold) {
			const firstRow = draft.rows[0];
			if (input.occupiedDoors?.has(draft.doorId)) {
				fail(firstRow, 'door', 'household_exists', doorLabel(draft.floor, draft.position));
				continue;
			}
			const id = householdIdOf(draft.doorId);
			let hasHead = draft.people.some((p) => p.relation === 'head');
			const members = draft.people.map((person, i) => {
				let relation = person.relation;
				if (!relation) {
					relation = hasHead ? 'other' : 'head';
					hasHead = true;
				}
				return { ...person.member, relation, id: `${id}-m${i + 1}` };
			});
			const parsed = householdSchema.safeParse({
				v: 1,
				id,
				doorId: draft.doorId,
				occupancy: draft.occupancy?.value ?? 'lived_in',
				phone: draft.phone?.value ?? members.find((m) => m.relation === 'head' && m.phone)?.phone ?? members.find((m) => m.phone)?.phone,
				members,
				passCards: 0,
				flags: [],
				notes: draft.notes.join('；')
			});
			if (!parsed.success) {
				// The sheet's values each passed their rules, so what is left is the household's size.
				const field = parsed.error.issues[0]?.path[0];
				if (field === 'members') fail(draft.people[draft.people.length - 1].row, 'name', 'too_many_members', String(members.length));
				else if (field === 'notes') fail(firstRow, 'notes', 'text_too_long', draft.notes.join('；').slice(0, 40));
				else fail(firstRow, null, 'invalid_record', draft.doorId);
				continue;
			}
			household = parsed.data;
			households.push(household);
		}
		plannedDoors.push({
			doorId: draft.doorId,
			compoundName: draft.compoundName,
			buildingName: draft.buildingName,
			unitNo: draft.unitNo,
			floor: draft.floor,
			label: doorLabel(draft.floor, draft.position),
			rows: draft.rows,
			household
		});
	}

	// Places to write: new compounds, new and grown buildings, the grid with its new buildings.
	const buildings: Building[] = [];
	const firstRowOf = new Map<string, number>();
	for (const d of doors.values()) if (!firstRowOf.has(d.buildingKey)) firstRowOf.set(d.buildingKey, d.rows[0]);
	let newDoors = 0;
	let grownBuildings = 0;
	const gridBuildingIds = [...grid.buildingIds];
	for (const [key, entry] of sheetBuildings) {
		const units = [...entry.units.values()].sort((a, b) => a.no - b.no);
		const candidate = { v: 1, id: entry.id, compoundId: entry.compoundId, name: entry.name, units };
		const parsed = buildingSchema.safeParse(candidate);
		if (!parsed.success) {
			fail(firstRowOf.get(key) ?? headerRow + 1, 'building', 'too_large', entry.name);
			continue;
		}
		const doorCount = (b: Pick<Building, 'units'>) => b.units.reduce((n, u) => n + u.floors * u.doorsPerFloor, 0);
		newDoors += doorCount(parsed.data) - (entry.existing ? doorCount(entry.existing) : 0);
		const grown = entry.existing && JSON.stringify(units) !== JSON.stringify([...entry.existing.units].sort((a, b) => a.no - b.no));
		if (!entry.existing || grown) {
			buildings.push(parsed.data);
			if (entry.existing) grownBuildings++;
		}
		// A building another grid lists stays that grid's: this grid holds units of it on their own.
		if (!gridBuildingIds.includes(entry.id) && !gridOfBuilding.has(entry.id)) gridBuildingIds.push(entry.id);
	}
	const plannedGrid = gridSchema.safeParse({ ...grid, buildingIds: gridBuildingIds });
	if (!plannedGrid.success) fail(headerRow + 1, 'building', 'too_large', grid.name);

	if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.row - b.row || (a.column ?? -1) - (b.column ?? -1)) };
	return {
		ok: true,
		plan: {
			gridId: grid.id,
			compounds: [...newCompounds.values()],
			buildings,
			grid: plannedGrid.data!,
			households,
			doors: plannedDoors,
			counts: {
				rows: dataRows.length,
				newCompounds: newCompounds.size,
				newBuildings: buildings.length - grownBuildings,
				grownBuildings,
				doors: plannedDoors.length,
				newDoors,
				households: households.length,
				people: households.reduce((n, h) => n + h.members.length, 0)
			}
		}
	};
}

/** Checks the plan's records against the stored-value schemas once more, right before writing. */
export function assertPlanValid(plan: ImportPlan): void {
	for (const c of plan.compounds) compoundSchema.parse(c);
	for (const b of plan.buildings) buildingSchema.parse(b);
	gridSchema.parse(plan.grid);
	for (const h of plan.households) householdSchema.parse(h);
	for (const m of plan.households.flatMap((h) => h.members)) memberSchema.parse(m);
}

/**
 * What the register already holds that an import must respect: doors whose household file has
 * people or edits (an import never overwrites them), and every ID number with its door.
 */
export function registerFacts(files: Iterable<Pick<HouseholdFile, 'household' | 'fields'>>): {
	occupiedDoors: Set<string>;
	knownIdNumbers: Map<string, string>;
} {
	const occupiedDoors = new Set<string>();
	const knownIdNumbers = new Map<string, string>();
	for (const { household, fields } of files) {
		if (household.members.length > 0 || fields.size > 0) occupiedDoors.add(household.doorId);
		for (const member of household.members) if (member.idNumber) knownIdNumbers.set(member.idNumber, household.doorId);
	}
	return { occupiedDoors, knownIdNumbers };
}
