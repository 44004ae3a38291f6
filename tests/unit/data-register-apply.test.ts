import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import * as communityIndex from '$lib/data/community-index-doc';
import * as register from '$lib/data/register-doc';
import { applyPlan, exportRows } from '$lib/data/register-apply';
import { planImport, registerFacts, suggestMapping, type ImportPlan } from '$lib/domain/register-import';
import { deriveRegister } from '$lib/domain/register';
import { createEvent, type HouseholdEvent } from '$lib/domain/events';
import * as hlc from '$lib/domain/hlc';
import { checkChar } from '$lib/domain/id-number';

function id(birth: string, sex: 'male' | 'female'): string {
	const first17 = `320102${birth}${sex === 'male' ? '013' : '024'}`;
	return first17 + checkChar(first17);
}

const SHEET = [
	['东风社区住户登记表'],
	['小区', '楼栋', '单元', '门牌号', '姓名', '与户主关系', '性别', '出生日期', '联系电话', '身份证号', '户籍类型', '居住状态', '备注'],
	['春晖苑', '3号楼', '1单元', '502', '王秀英', '户主', '女', '1949-12-31', '13800138000', id('19491231', 'female'), '户籍', '自住', '独居'],
	['春晖苑', '3号楼', '1单元', '502', '李建国', '配偶', '男', '1948', '', '', '常住', '', ''],
	['春晖苑', '3号楼', '2单元', '101', '', '', '', '', '', '', '', '空置', '']
];

/** A community index with one grid and no buildings, and that grid's empty register. */
function community() {
	const index = new Y.Doc();
	communityIndex.change(index, (w) => {
		w.setCommunity({ v: 1, id: 'c1', name: '东风社区' });
		w.putGrid({ v: 1, id: 'g01', name: '第1网格', buildingIds: [], workers: ['worker1'] });
	});
	return { index, register: new Y.Doc() };
}

function planFor(docs: ReturnType<typeof community>, rows: string[][] = SHEET): ImportPlan {
	const state = deriveRegister(register.households(docs.register), register.events(docs.register));
	const result = planImport({
		rows,
		headerRow: 1,
		mapping: suggestMapping(rows[1]),
		gridId: 'g01',
		existing: communityIndex.read(docs.index),
		...registerFacts(state.households.values()),
		today: '2026-05-01'
	});
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.plan;
}

const registersOf = (docs: ReturnType<typeof community>) =>
	new Map([['g01', deriveRegister(register.households(docs.register), register.events(docs.register))]]);

describe('applying a plan', () => {
	test('writes the places into the index and the households into the grid register', () => {
		const docs = community();
		const plan = planFor(docs);
		const updates: string[] = [];
		docs.index.on('update', () => updates.push('index'));
		docs.register.on('update', () => updates.push('register'));
		applyPlan(plan, docs, 'local');
		// one transaction per document, the index first
		expect(updates).toEqual(['index', 'register']);
		const index = communityIndex.read(docs.index);
		expect(index.compounds.map((c) => c.name)).toEqual(['春晖苑']);
		expect(index.buildings).toEqual(plan.buildings);
		expect(index.grids[0]).toMatchObject({ id: 'g01', workers: ['worker1'], buildingIds: [plan.buildings[0].id] });
		expect(register.households(docs.register)).toEqual(plan.households);
	});

	test('writes nothing at all when a record does not fit its schema', () => {
		const docs = community();
		const plan = planFor(docs);
		const broken = { ...plan, households: [...plan.households, { ...plan.households[0], id: 'bad id!' }] };
		const before = [Y.encodeStateAsUpdate(docs.index), Y.encodeStateAsUpdate(docs.register)];
		expect(() => applyPlan(broken, docs)).toThrow();
		expect([Y.encodeStateAsUpdate(docs.index), Y.encodeStateAsUpdate(docs.register)]).toEqual(before);
	});

	test('the same file again is refused door by door: an import never overwrites a household', () => {
		const docs = community();
		applyPlan(planFor(docs), docs);
		expect(() => planFor(docs)).toThrow(/household_exists/);
	});
});

describe('exporting the register', () => {
	test('one row per person with the import headers; an export imports back as the same households', () => {
		const docs = community();
		const plan = planFor(docs);
		applyPlan(plan, docs);
		const rows = exportRows(communityIndex.read(docs.index), registersOf(docs));
		expect(rows[0]).toEqual(['网格', '小区', '楼栋', '单元', '楼层', '门牌号', '居住状态', '家庭电话', '姓名', '与户主关系', '性别', '出生日期', '联系电话', '身份证号', '户籍类型', '备注']);
		expect(rows.slice(1)).toEqual([
			['第1网格', '春晖苑', '3号楼', '1', '5', '502', '自住', '13800138000', '王秀英', '户主', '女', '1949-12-31', '13800138000', id('19491231', 'female'), '户籍', '独居'],
			['第1网格', '春晖苑', '3号楼', '1', '5', '502', '自住', '13800138000', '李建国', '配偶', '男', '1948', '', '', '常住', '独居'],
			['第1网格', '春晖苑', '3号楼', '2', '1', '101', '空置', '', '', '', '', '', '', '', '', '']
		]);

		const elsewhere = community();
		const again = planFor(elsewhere, [['title'], ...rows]);
		expect(again.households).toEqual(plan.households);
		expect(again.buildings.map((b) => b.units)).toEqual(plan.buildings.map((b) => b.units));
	});

	test('households as they stand: field edits applied, full ID numbers', () => {
		const docs = community();
		const plan = planFor(docs);
		applyPlan(plan, docs);
		const household = plan.households[0];
		const { event } = createEvent<HouseholdEvent>(
			{ kind: 'household', entity: household.id, field: 'phone', value: '13912345678', user: 'worker1' },
			hlc.create('d1'),
			1_700_000_000_000,
			'e1'
		);
		register.change(docs.register, (w) => w.append(event));
		const rows = exportRows(communityIndex.read(docs.index), registersOf(docs));
		expect(rows[1][7]).toBe('13912345678');
		expect(rows[1][13]).toMatch(/^\d{17}[\dX]$/);
	});
});
