import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import * as ri from '$lib/domain/register-import';
import { checkChar } from '$lib/domain/id-number';
import type { Building, Compound, Grid } from '$lib/domain/places';

/** A valid ID number born on `birth` (YYYYMMDD), odd sequence for men. */
function id(birth: string, sex: 'male' | 'female' = 'male', region = '330106'): string {
	const first17 = `${region}${birth}${sex === 'male' ? '011' : '022'}`;
	return first17 + checkChar(first17);
}

const compounds: Compound[] = [
	{ v: 1, id: 'cp1', name: '幸福里' },
	{ v: 1, id: 'cp2', name: '和平小区' }
];
const buildings: Building[] = [
	{ v: 1, id: 'cp1-b1', compoundId: 'cp1', name: '1号楼', units: [{ no: 1, floors: 6, doorsPerFloor: 2 }, { no: 2, floors: 6, doorsPerFloor: 2 }] },
	{ v: 1, id: 'cp1-b2', compoundId: 'cp1', name: '2号楼', units: [{ no: 1, floors: 6, doorsPerFloor: 2 }] },
	{ v: 1, id: 'cp2-b1', compoundId: 'cp2', name: '1号楼', units: [{ no: 1, floors: 5, doorsPerFloor: 2 }] }
];
const grids: Grid[] = [
	{ v: 1, id: 'g01', name: '第1网格', buildingIds: ['cp1-b1'], workers: [] },
	{ v: 1, id: 'g02', name: '第2网格', buildingIds: ['cp1-b2'], workers: [] }
];
const existing = { compounds, buildings, grids };

const HEADERS = ['小区', '楼栋', '单元', '门牌号', '姓名', '与户主关系', '性别', '出生日期', '联系电话', '身份证号', '户籍类型', '居住状态', '备注'];

type Row = Partial<Record<(typeof HEADERS)[number], string>>;

function sheet(rows: Row[], headers = HEADERS): string[][] {
	return [headers, ...rows.map((r) => headers.map((h) => r[h] ?? ''))];
}

function person(overrides: Row = {}): Row {
	return {
		小区: '春晖苑',
		楼栋: '3号楼',
		单元: '1单元',
		门牌号: '502',
		姓名: '王秀英',
		与户主关系: '户主',
		性别: '女',
		出生日期: '1949-12-31',
		联系电话: '13800138000',
		身份证号: id('19491231', 'female'),
		户籍类型: '户籍',
		...overrides
	};
}

function plan(rows: string[][], options: Partial<ri.ImportInput> = {}) {
	return ri.planImport({
		rows,
		mapping: ri.suggestMapping(rows[0]),
		gridId: 'g01',
		existing,
		today: '2026-05-01',
		...options
	});
}

function ok(result: ri.ImportResult): ri.ImportPlan {
	if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.errors)}`);
	return result.plan;
}

function errorsOf(result: ri.ImportResult) {
	if (result.ok) throw new Error('expected errors, got a plan');
	return result.errors.map(({ row, target, code, value }) => ({ row, target, code, value }));
}

/** The single error of a one-person sheet whose person has `overrides`. */
function oneError(overrides: Row, options: Partial<ri.ImportInput> = {}) {
	return errorsOf(plan(sheet([person(overrides)]), options));
}

describe('header mapping', () => {
	test('suggests targets from the headers staff use, each target once', () => {
		expect(ri.suggestMapping(HEADERS)).toEqual([
			'compound',
			'building',
			'unit',
			'door',
			'name',
			'relation',
			'sex',
			'birth',
			'phone',
			'idNumber',
			'residence',
			'occupancy',
			'notes'
		]);
		expect(ri.suggestMapping(['楼号', '房号', '人员类型', '手机号', '公民身份号码', '出生年月', '所在楼层'])).toEqual([
			'building',
			'door',
			'residence',
			'phone',
			'idNumber',
			'birth',
			'floor'
		]);
		expect(ri.suggestMapping(['室', '户主姓名', '家庭电话', '身份证', '单元号'])).toEqual(['door', 'name', 'householdPhone', 'idNumber', 'unit']);
	});

	test('looks past decoration and inside longer headers, the longest word first', () => {
		expect(ri.suggestMapping(['* 身份证号（必填）', '户主联系电话', '本人手机', '楼栋名称', '序号', ''])).toEqual([
			'idNumber',
			'householdPhone',
			'phone',
			'building',
			null,
			null
		]);
		expect(ri.suggestMapping(['电话', '联系电话'])).toEqual(['phone', null]);
		expect(ri.suggestMapping(['ＩＤ　Number', 'Room'])).toEqual(['idNumber', 'door']);
	});

	test('finds the header row under a title row', () => {
		expect(ri.findHeaderRow([['东风社区住户登记表'], ['', ''], HEADERS, ['x']])).toBe(2);
		expect(ri.findHeaderRow([['a', 'b'], ['c', 'd']])).toBe(0);
	});
});

describe('values as staff write them', () => {
	test('building numbers', () => {
		for (const name of ['9号楼', '9栋', '9幢', '9#', '9', '九号楼', '第9栋', '９号楼']) expect(ri.buildingNumber(name), name).toBe(9);
		expect(ri.buildingNumber('十二号楼')).toBe(12);
		expect(ri.buildingNumber('A座')).toBeNull();
	});

	test('units and floors', () => {
		expect(['2单元', '2', '第二单元', '二单元', '２单元'].map(ri.parseUnit)).toEqual([2, 2, 2, 2, 2]);
		expect(['0', '100', 'A', '一百'].map(ri.parseUnit)).toEqual([null, null, null, null]);
		expect(['5', '5层', '5楼', '五层', '5F', '二十三层'].map(ri.parseFloor)).toEqual([5, 5, 5, 5, 5, 23]);
		expect(['-1', '0', '地下'].map(ri.parseFloor)).toEqual([null, null, null]);
	});

	test('door numbers: floor and two-digit position, with or without a floor column', () => {
		expect(ri.parseDoor('502')).toEqual({ ok: true, floor: 5, position: 2, unit: undefined });
		expect(ri.parseDoor('502室')).toMatchObject({ ok: true, floor: 5, position: 2 });
		expect(ri.parseDoor('１２０３号')).toMatchObject({ ok: true, floor: 12, position: 3 });
		expect(ri.parseDoor('2-502')).toEqual({ ok: true, floor: 5, position: 2, unit: 2 });
		expect(ri.parseDoor('02', 5)).toEqual({ ok: true, floor: 5, position: 2, unit: undefined });
		expect(ri.parseDoor('502', 5)).toMatchObject({ ok: true, floor: 5, position: 2 });
		expect(ri.parseDoor('502', 6)).toEqual({ ok: false, code: 'door_floor_mismatch' });
		for (const bad of ['02', 'A502', '500', '5', '99999', '1-2-502', '541']) expect(ri.parseDoor(bad), bad).toEqual({ ok: false, code: 'door_format' });
	});

	test('birth dates: ISO, slashes, dots, compact, Chinese, year, year-month, Excel serial', () => {
		expect(ri.parseBirth('1980-01-02')).toBe('1980-01-02');
		expect(ri.parseBirth('1980/1/2')).toBe('1980-01-02');
		expect(ri.parseBirth('1980.1.2')).toBe('1980-01-02');
		expect(ri.parseBirth('19800102')).toBe('1980-01-02');
		expect(ri.parseBirth('1980年1月2日')).toBe('1980-01-02');
		expect(ri.parseBirth('１９８０-01-02')).toBe('1980-01-02');
		expect(ri.parseBirth('1980-01-02 00:00:00')).toBe('1980-01-02');
		expect(ri.parseBirth('1980')).toBe('1980');
		expect(ri.parseBirth('1980年')).toBe('1980');
		expect(ri.parseBirth('1980.01')).toBe('1980-01');
		expect(ri.parseBirth('29222')).toBe('1980-01-02');
		expect(ri.parseBirth('29222.0')).toBe('1980-01-02');
		expect(ri.parseBirth('八零年')).toBeNull();
		expect(ri.parseBirth('80')).toBeNull();
	});

	test('words for relation, sex, residence and occupancy', () => {
		expect(['户主', '配偶', '子女', '父母', '孙子女', '兄弟姐妹', '租客', '其他', '妻子', '长子', '外孙女'].map(ri.parseRelation)).toEqual([
			'head',
			'spouse',
			'child',
			'parent',
			'grandchild',
			'sibling',
			'tenant',
			'other',
			'spouse',
			'child',
			'grandchild'
		]);
		expect(['男', '女', '男性', 'F', '未知'].map(ri.parseSex)).toEqual(['male', 'female', 'male', 'female', null]);
		expect(['户籍', '常住', '暂住', '陪读', '流动人口', '外地'].map(ri.parseResidence)).toEqual([
			'registered',
			'long_term',
			'temporary',
			'accompanying_student',
			'temporary',
			null
		]);
		expect(['自住', '出租', '空置', '商铺', '其他', '拆迁'].map(ri.parseOccupancy)).toEqual(['lived_in', 'rented_out', 'empty', 'shop', 'other', null]);
	});

	test('the words this app writes on export are read back as the same values', () => {
		for (const [code, words] of Object.entries(ri.relationWords)) expect(ri.parseRelation(words[0])).toBe(code);
		for (const [code, words] of Object.entries(ri.sexWords)) expect(ri.parseSex(words[0])).toBe(code);
		for (const [code, words] of Object.entries(ri.residenceWords)) expect(ri.parseResidence(words[0])).toBe(code);
		for (const [code, words] of Object.entries(ri.occupancyWords)) expect(ri.parseOccupancy(words[0])).toBe(code);
		for (const target of ri.targets) expect(ri.suggestMapping([ri.headerWords[target].exact[0]])).toEqual([target]);
	});
});

describe('a good sheet', () => {
	test('one row per person: rows of one door make one household, the places are created', () => {
		const rows = sheet([
			person({ 备注: '老人腿脚不便' }),
			person({ 姓名: '李建国', 与户主关系: '配偶', 性别: '男', 出生日期: '1948/3/4', 联系电话: '', 身份证号: id('19480304') }),
			person({ 门牌号: '1203室', 姓名: '张伟', 与户主关系: '', 性别: '', 出生日期: '', 身份证号: id('19900101'), 户籍类型: '暂住', 居住状态: '出租' }),
			person({ 楼栋: '3栋', 单元: '2', 门牌号: '101', 姓名: '', 与户主关系: '', 性别: '', 出生日期: '', 联系电话: '', 身份证号: '', 户籍类型: '' })
		]);
		const p = ok(plan(rows));
		expect(p.compounds).toEqual([{ v: 1, id: expect.stringMatching(/^cp-[0-9a-z]+$/), name: '春晖苑' }]);
		const compoundId = p.compounds[0].id;
		expect(p.buildings).toEqual([
			{
				v: 1,
				id: `${compoundId}-b3`,
				compoundId,
				name: '3号楼',
				units: [
					{ no: 1, floors: 12, doorsPerFloor: 3 },
					{ no: 2, floors: 1, doorsPerFloor: 1 }
				]
			}
		]);
		expect(p.grid.buildingIds).toEqual(['cp1-b1', `${compoundId}-b3`]);
		const [h502, h1203] = p.households;
		expect(h502).toMatchObject({
			id: `h-${compoundId}-b3-1-502`,
			doorId: `${compoundId}-b3-1-502`,
			occupancy: 'lived_in',
			phone: '13800138000',
			notes: '老人腿脚不便',
			members: [
				{ id: `h-${compoundId}-b3-1-502-m1`, name: '王秀英', relation: 'head', sex: 'female', birth: '1949-12-31', residence: 'registered' },
				{ id: `h-${compoundId}-b3-1-502-m2`, name: '李建国', relation: 'spouse', sex: 'male', birth: '1948-03-04', phone: undefined }
			]
		});
		// Sex and birth come from the ID number when the sheet leaves them empty; the first person
		// without a relation is the head.
		expect(h1203).toMatchObject({ occupancy: 'rented_out', members: [{ name: '张伟', relation: 'head', sex: 'male', birth: '1990-01-01', residence: 'temporary' }] });
		// A row that names only a door creates the door and no household.
		expect(p.doors.map((d) => [d.label, d.unitNo, d.rows, !!d.household])).toEqual([
			['502', 1, [2, 3], true],
			['1203', 1, [4], true],
			['101', 2, [5], false]
		]);
		expect(p.counts).toEqual({ rows: 4, newCompounds: 1, newBuildings: 1, grownBuildings: 0, doors: 3, newDoors: 37, households: 2, people: 3 });
	});

	test('one row per household, with only the head', () => {
		const headers = ['小区', '楼号', '房号', '户主姓名', '身份证号', '家庭电话', '居住状态'];
		const rows = [
			headers,
			['幸福里', '1号楼', '1-601', '赵四', id('19700505'), '010-12345678', '自住'],
			['幸福里', '1号楼', '2-101', '钱五', id('19750607', 'female'), '', '']
		];
		const p = ok(plan(rows));
		expect(p.compounds).toEqual([]);
		expect(p.buildings).toEqual([]);
		expect(p.grid).toEqual(grids[0]);
		expect(p.households.map((h) => [h.doorId, h.phone, h.members.map((m) => [m.name, m.relation, m.sex, m.birth])])).toEqual([
			['cp1-b1-1-601', '010-12345678', [['赵四', 'head', 'male', '1970-05-05']]],
			['cp1-b1-2-101', undefined, [['钱五', 'head', 'female', '1975-06-07']]]
		]);
		expect(p.counts).toMatchObject({ newBuildings: 0, grownBuildings: 0, newDoors: 0, households: 2, people: 2 });
	});

	test('one row per household with no person columns: a phone column is the household phone', () => {
		const rows = [
			['小区', '楼栋', '单元', '楼层', '门牌号', '联系电话', '居住状态'],
			['和平小区', '1号楼', '1', '7', '3', '139 1234 5678', '空置']
		];
		const p = ok(plan(rows));
		// cp2-b1 is in no grid: it joins the target grid, and grows to 7 floors of 3 doors.
		expect(p.buildings).toEqual([{ ...buildings[2], units: [{ no: 1, floors: 7, doorsPerFloor: 3 }] }]);
		expect(p.grid.buildingIds).toEqual(['cp1-b1', 'cp2-b1']);
		expect(p.households).toEqual([
			{ v: 1, id: 'h-cp2-b1-1-703', doorId: 'cp2-b1-1-703', occupancy: 'empty', phone: '13912345678', members: [], passCards: 0, flags: [], notes: '' }
		]);
		expect(p.counts).toMatchObject({ grownBuildings: 1, newBuildings: 0, newDoors: 11, households: 1, people: 0 });
	});

	test('a sheet without a compound column takes the compound given on screen', () => {
		const rows = [
			['楼栋', '门牌号', '姓名', '身份证号'],
			['1号楼', '102', '孙六', id('19660101')]
		];
		expect(errorsOf(plan(rows))).toEqual([{ row: 1, target: 'compound', code: 'missing_column', value: '' }]);
		expect(ok(plan(rows, { defaultCompound: '幸福里' })).households[0].doorId).toBe('cp1-b1-1-102');
	});

	test('a title row above the headers keeps spreadsheet row numbers', () => {
		const rows = [['东风社区住户登记表'], ...sheet([person(), person({ 性别: '未知', 身份证号: '' })])];
		const result = plan(rows, { headerRow: 1, mapping: ri.suggestMapping(rows[1]) });
		expect(errorsOf(result)).toEqual([{ row: 4, target: 'sex', code: 'unknown_sex', value: '未知' }]);
	});

	test('blank rows are skipped, full-width digits and spaces accepted', () => {
		const rows = sheet([person({ 门牌号: '５０２', 联系电话: '１３８ ００１３ ８０００', 身份证号: ` ${id('19491231', 'female').toLowerCase()} ` }), {}]);
		rows.push(HEADERS.map(() => '  '));
		const p = ok(plan(rows));
		expect(p.counts.rows).toBe(1);
		expect(p.households[0].members[0]).toMatchObject({ phone: '13800138000', idNumber: id('19491231', 'female') });
	});

	test('the same sheet gives the same plan (ids derived from names)', () => {
		const rows = sheet([person(), person({ 小区: '新苑', 楼栋: 'A座', 门牌号: '101', 身份证号: id('19800101'), 性别: '男', 出生日期: '' })]);
		const a = ok(plan(rows));
		expect(ok(plan(rows))).toEqual(a);
		expect(a.buildings.map((b) => b.name)).toEqual(['3号楼', 'A座']);
		expect(a.buildings[1].id).toMatch(new RegExp(`^${a.compounds[1].id}-b[0-9a-z]+$`));
	});

	test('a year of birth that the ID number agrees with is stored as its full date', () => {
		expect(ok(plan(sheet([person({ 出生日期: '1949' })]))).households[0].members[0].birth).toBe('1949-12-31');
		expect(ok(plan(sheet([person({ 出生日期: '1949.12' })]))).households[0].members[0].birth).toBe('1949-12-31');
		expect(ok(plan(sheet([person({ 出生日期: '1949', 身份证号: '' })]))).households[0].members[0].birth).toBe('1949');
		expect(ok(plan(sheet([person({ 出生日期: '18263' })]))).households[0].members[0].birth).toBe('1949-12-31');
	});
});

describe('every rule: one bad row gives its row, column, reason and value, and no plan', () => {
	test('ID number: format, birth date, checksum', () => {
		const valid = id('19491231', 'female');
		expect(oneError({ 身份证号: valid.slice(0, 17) })).toEqual([{ row: 2, target: 'idNumber', code: 'id_format', value: valid.slice(0, 17) }]);
		expect(oneError({ 身份证号: '1.10105E+17' })).toMatchObject([{ code: 'id_format' }]);
		const feb30 = '33010619490230022';
		expect(oneError({ 身份证号: feb30 + checkChar(feb30) })).toMatchObject([{ target: 'idNumber', code: 'id_birth_date' }]);
		const wrongCheck = valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1');
		expect(oneError({ 身份证号: wrongCheck })).toEqual([{ row: 2, target: 'idNumber', code: 'id_checksum', value: wrongCheck }]);
	});

	test('ID number against the birth date and sex written beside it', () => {
		expect(oneError({ 出生日期: '1950-01-01' })).toMatchObject([{ target: 'idNumber', code: 'id_birth_mismatch' }]);
		expect(oneError({ 出生日期: '1950' })).toMatchObject([{ target: 'idNumber', code: 'id_birth_mismatch' }]);
		expect(oneError({ 出生日期: '1949.11' })).toMatchObject([{ target: 'idNumber', code: 'id_birth_mismatch' }]);
		expect(oneError({ 性别: '男' })).toMatchObject([{ target: 'idNumber', code: 'id_sex_mismatch' }]);
	});

	test('an invalid ID number is the only error when sex and birth were to come from it', () => {
		expect(oneError({ 性别: '', 出生日期: '', 身份证号: '123' })).toEqual([{ row: 2, target: 'idNumber', code: 'id_format', value: '123' }]);
	});

	test('the same person twice, in the sheet or already registered', () => {
		const same = id('19491231', 'female');
		expect(errorsOf(plan(sheet([person(), person({ 门牌号: '602' })])))).toEqual([{ row: 3, target: 'idNumber', code: 'duplicate_person', value: same }]);
		expect(oneError({}, { knownIdNumbers: new Map([[same, 'cp1-b1-1-101']]) })).toMatchObject([{ row: 2, code: 'duplicate_person' }]);
	});

	test('phone numbers', () => {
		expect(oneError({ 联系电话: '1380013800' })).toEqual([{ row: 2, target: 'phone', code: 'phone_format', value: '1380013800' }]);
		expect(oneError({ 联系电话: '1.38001E+10' })).toMatchObject([{ code: 'phone_format' }]);
		const rows = [['小区', '楼栋', '门牌号', '家庭电话'], ['幸福里', '1号楼', '101', '12345']];
		expect(errorsOf(plan(rows))).toEqual([{ row: 2, target: 'householdPhone', code: 'phone_format', value: '12345' }]);
	});

	test('birth dates: not a date, not a real date, in the future', () => {
		expect(oneError({ 出生日期: '八零年', 身份证号: '' })).toEqual([{ row: 2, target: 'birth', code: 'birth_format', value: '八零年' }]);
		expect(oneError({ 出生日期: '1980-02-30', 身份证号: '' })).toMatchObject([{ target: 'birth', code: 'birth_format' }]);
		expect(oneError({ 出生日期: '1850', 身份证号: '' })).toMatchObject([{ target: 'birth', code: 'birth_format' }]);
		expect(oneError({ 出生日期: '2027-01-01', 身份证号: '' })).toMatchObject([{ target: 'birth', code: 'birth_future' }]);
	});

	test('unknown words', () => {
		expect(oneError({ 与户主关系: '邻居' })).toEqual([{ row: 2, target: 'relation', code: 'unknown_relation', value: '邻居' }]);
		expect(oneError({ 性别: '未知' })).toEqual([{ row: 2, target: 'sex', code: 'unknown_sex', value: '未知' }]);
		expect(oneError({ 户籍类型: '外地' })).toEqual([{ row: 2, target: 'residence', code: 'unknown_residence', value: '外地' }]);
		expect(oneError({ 居住状态: '拆迁' })).toEqual([{ row: 2, target: 'occupancy', code: 'unknown_occupancy', value: '拆迁' }]);
	});

	test('required values', () => {
		expect(oneError({ 姓名: '' })).toEqual([{ row: 2, target: 'name', code: 'missing_required', value: '' }]);
		expect(oneError({ 性别: '', 身份证号: '' })).toEqual([{ row: 2, target: 'sex', code: 'missing_required', value: '' }]);
		expect(oneError({ 出生日期: '', 身份证号: '' })).toEqual([{ row: 2, target: 'birth', code: 'missing_required', value: '' }]);
		expect(oneError({ 小区: '' })).toEqual([{ row: 2, target: 'compound', code: 'missing_required', value: '' }]);
		expect(oneError({ 楼栋: '' })).toEqual([{ row: 2, target: 'building', code: 'missing_required', value: '' }]);
		expect(oneError({ 门牌号: '' })).toEqual([{ row: 2, target: 'door', code: 'missing_required', value: '' }]);
		// Sex and birth with no column for them and no ID number: the error names the missing column.
		const rows = [['小区', '楼栋', '门牌号', '姓名'], ['幸福里', '1号楼', '101', '周七']];
		expect(errorsOf(plan(rows))).toEqual([
			{ row: 2, target: 'sex', code: 'missing_required', value: '' },
			{ row: 2, target: 'birth', code: 'missing_required', value: '' }
		]);
	});

	test('texts too long for the register', () => {
		expect(oneError({ 姓名: '名'.repeat(41) })).toMatchObject([{ target: 'name', code: 'text_too_long' }]);
		expect(oneError({ 小区: '苑'.repeat(61) })).toMatchObject([{ target: 'compound', code: 'text_too_long' }]);
		expect(oneError({ 楼栋: '楼'.repeat(41) })).toMatchObject([{ target: 'building', code: 'text_too_long' }]);
		expect(oneError({ 备注: '注'.repeat(2001) })).toMatchObject([{ target: 'notes', code: 'text_too_long' }]);
	});

	test('places: unit, floor and door formats, door against floor and unit', () => {
		expect(oneError({ 单元: 'A单元' })).toEqual([{ row: 2, target: 'unit', code: 'unit_format', value: 'A单元' }]);
		expect(oneError({ 门牌号: '5楼2号' })).toEqual([{ row: 2, target: 'door', code: 'door_format', value: '5楼2号' }]);
		expect(oneError({ 门牌号: '500' })).toMatchObject([{ code: 'door_format' }]);
		expect(oneError({ 门牌号: '2-502' })).toEqual([{ row: 2, target: 'door', code: 'door_unit_mismatch', value: '2-502' }]);
		expect(ok(plan(sheet([person({ 单元: '', 门牌号: '2-502' })]))).households[0].doorId).toMatch(/-2-502$/);
		const rows = [['小区', '楼栋', '楼层', '门牌号'], ['幸福里', '1号楼', '地下', '1'], ['幸福里', '1号楼', '6', '502']];
		expect(errorsOf(plan(rows))).toEqual([
			{ row: 2, target: 'floor', code: 'floor_format', value: '地下' },
			{ row: 3, target: 'door', code: 'door_floor_mismatch', value: '502' }
		]);
	});

	test('a building of another grid', () => {
		expect(oneError({ 小区: '幸福里', 楼栋: '2号楼' })).toEqual([{ row: 2, target: 'building', code: 'door_in_other_grid', value: '2号楼' }]);
	});

	test('a unit another grid holds on its own, while the grid holding it may import there', () => {
		const withUnit = { ...existing, grids: [grids[0], { ...grids[1], units: ['cp1-b1:2'] }] };
		const row = { 小区: '幸福里', 楼栋: '1号楼', 单元: '2' };
		expect(oneError(row, { existing: withUnit })).toEqual([{ row: 2, target: 'building', code: 'door_in_other_grid', value: '1号楼' }]);
		expect(plan(sheet([person({ ...row, 单元: '1' })]), { existing: withUnit }).ok).toBe(true);
		const result = plan(sheet([person(row)]), { existing: withUnit, gridId: 'g02' });
		expect(result.ok).toBe(true);
		// The building stays g01's: g02 holds the unit, not the building.
		expect(result.ok && result.plan.grid.buildingIds).toEqual(['cp1-b2']);
	});

	test('a door that already has a household file is never overwritten', () => {
		const result = plan(sheet([person({ 小区: '幸福里', 楼栋: '1号楼', 单元: '1' })]), { occupiedDoors: new Set(['cp1-b1-1-502']) });
		expect(errorsOf(result)).toEqual([{ row: 2, target: 'door', code: 'household_exists', value: '502' }]);
	});

	test('rows of one door that disagree on the household', () => {
		const rows = sheet([person({ 居住状态: '自住' }), person({ 姓名: '李四', 与户主关系: '子女', 身份证号: id('19800101'), 性别: '男', 出生日期: '', 居住状态: '出租' })]);
		expect(errorsOf(plan(rows))).toEqual([{ row: 3, target: 'occupancy', code: 'household_mismatch', value: '出租' }]);
	});

	test('more members than a household holds', () => {
		const rows = sheet(
			Array.from({ length: 31 }, (_, i) =>
				person({ 姓名: `成员${i}`, 与户主关系: i === 0 ? '户主' : '其他', 身份证号: id(`19${String(50 + i)}0101`), 性别: '男', 出生日期: '' })
			)
		);
		expect(errorsOf(plan(rows))).toEqual([{ row: 32, target: 'name', code: 'too_many_members', value: '31' }]);
	});

	test('a building too large for the register', () => {
		const rows = sheet(Array.from({ length: 41 }, (_, i) => person({ 单元: String(i + 1), 姓名: '', 身份证号: '', 性别: '', 出生日期: '', 与户主关系: '', 联系电话: '', 户籍类型: '' })));
		expect(errorsOf(plan(rows))).toEqual([{ row: 2, target: 'building', code: 'too_large', value: '3号楼' }]);
	});

	test('the mapping: building and door columns, each target once, a known grid, some rows', () => {
		const rows = sheet([person()]);
		const mapping = ri.suggestMapping(rows[0]);
		const withoutDoor = mapping.map((t) => (t === 'door' ? null : t));
		expect(errorsOf(plan(rows, { mapping: withoutDoor }))).toEqual([{ row: 1, target: 'door', code: 'missing_column', value: '' }]);
		const twice = mapping.map((t) => (t === 'notes' ? 'name' : t));
		expect(errorsOf(plan(rows, { mapping: twice }))).toEqual([{ row: 1, target: 'name', code: 'duplicate_column', value: '备注' }]);
		expect(errorsOf(plan(rows, { gridId: 'g99' }))).toEqual([{ row: 1, target: null, code: 'unknown_grid', value: 'g99' }]);
		expect(errorsOf(plan([HEADERS]))).toEqual([{ row: 1, target: null, code: 'no_rows', value: '' }]);
	});
});

describe('all or nothing', () => {
	test('one bad row among good ones: only its error, and no plan at all', () => {
		const good = Array.from({ length: 20 }, (_, i) => person({ 门牌号: `${Math.floor(i / 2) + 1}0${(i % 2) + 1}`, 身份证号: id(`19${60 + i}0101`), 性别: '男', 出生日期: '' }));
		good[11] = { ...good[11], 身份证号: '11010519491231002Y' };
		const result = plan(sheet(good));
		expect(result.ok).toBe(false);
		expect(errorsOf(result)).toEqual([{ row: 13, target: 'idNumber', code: 'id_format', value: '11010519491231002Y' }]);
	});

	test('errors of several rows come sorted by row, then column', () => {
		const result = plan(sheet([person({ 性别: '未知', 联系电话: '1' }), person({ 门牌号: 'x', 身份证号: id('19800101'), 性别: '男', 出生日期: '' })]));
		expect(errorsOf(result).map((e) => [e.row, e.target])).toEqual([
			[2, 'sex'],
			[2, 'phone'],
			[3, 'door']
		]);
	});

	test('every error code has a message in both languages', () => {
		for (const locale of ['zh-CN', 'en']) {
			const messages = JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8'));
			expect(ri.errorCodes.filter((code) => !messages[`import_error_${code}`]), locale).toEqual([]);
			expect(ri.targets.filter((target) => !messages[`import_target_${ri.snakeCase(target)}`]), locale).toEqual([]);
		}
	});

	test('planned records pass the stored-value schemas', () => {
		const p = ok(plan(sheet([person(), person({ 门牌号: '601', 身份证号: id('19800101'), 性别: '男', 出生日期: '' })])));
		expect(() => ri.assertPlanValid(p)).not.toThrow();
		expect(() => ri.assertPlanValid({ ...p, households: [{ ...p.households[0], occupancy: 'gone' as never }] })).toThrow();
	});
});
