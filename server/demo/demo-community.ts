/**
 * A deterministic demo community: the same seed and size always give the same compounds,
 * buildings, grids, households and people, so tests, benchmarks and screenshots agree.
 *
 * Sizing follows DESIGN.md §5: about 50 households per building, 500 per grid, 3 people per
 * household (10,000 households → ~200 buildings, 20 grids, ~30,000 residents).
 */
import type { Building, Community, Compound, Grid } from '../../src/lib/domain/places';
import { doorsOfBuilding } from '../../src/lib/domain/places';
import { householdIdOf, type Flag, type Household, type Member, type Occupancy } from '../../src/lib/domain/household';
import { birthDate, checkChar } from '../../src/lib/domain/id-number';

export interface DemoCommunity {
	community: Community;
	compounds: Compound[];
	buildings: Building[];
	grids: Grid[];
	/** Households by grid id. */
	households: Map<string, Household[]>;
}

export interface DemoOptions {
	households?: number;
	seed?: number;
	communityId?: string;
}

export const HOUSEHOLDS_PER_GRID = 500;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建国志文红梅海燕淑珍秀兰凤兰欣怡子轩浩然梓涵宇轩一诺雨桐俊杰思远佳怡晨阳';
const COMPOUNDS = ['幸福里', '和平小区', '光明新村', '建设里', '向阳小区', '丽水苑', '锦绣家园', '长青苑', '望江花园', '红旗小区', '桃源里', '春晖苑'];
const REGIONS = ['110105', '110108', '310104', '420106', '440524', '510107', '320102', '370102'];
const MOBILE_PREFIXES = ['130', '131', '135', '136', '138', '139', '150', '151', '158', '177', '186', '188', '199'];

/** mulberry32: small, fast, good enough for fixtures, and identical on every platform. */
function random(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	const pick = <T>(items: readonly T[] | string): T => items[Math.floor(next() * items.length)] as T;
	return { next, int, pick };
}

type Random = ReturnType<typeof random>;

function personName(r: Random, surname = r.pick<string>(SURNAMES)): string {
	const given = r.next() < 0.6 ? r.pick<string>(GIVEN) + r.pick<string>(GIVEN) : r.pick<string>(GIVEN);
	return surname + given;
}

function mobile(r: Random): string {
	return r.pick<string>(MOBILE_PREFIXES) + String(r.int(0, 99_999_999)).padStart(8, '0');
}

function idNumber(r: Random, birthYear: number, sex: 'male' | 'female'): string {
	const month = String(r.int(1, 12)).padStart(2, '0');
	const day = String(r.int(1, 28)).padStart(2, '0');
	const sequence = r.int(0, 49) * 2 + (sex === 'male' ? 1 : 0);
	const first17 = `${r.pick<string>(REGIONS)}${birthYear}${month}${day}${String(sequence).padStart(3, '0')}`;
	return first17 + checkChar(first17);
}

function members(r: Random, householdId: string, year: number): Member[] {
	const surname = r.pick<string>(SURNAMES);
	const elderlyAlone = r.next() < 0.08;
	const count = elderlyAlone ? 1 : r.int(2, 5);
	const headYear = elderlyAlone ? r.int(1935, 1955) : r.int(1950, 1995);
	const list: Member[] = [];
	for (let i = 0; i < count; i++) {
		const relation = i === 0 ? 'head' : i === 1 ? 'spouse' : r.next() < 0.8 ? 'child' : 'parent';
		const sex = i === 0 ? r.pick(['male', 'female'] as const) : i === 1 ? (list[0].sex === 'male' ? 'female' : 'male') : r.pick(['male', 'female'] as const);
		const birthYear =
			relation === 'child' ? Math.min(year, headYear + r.int(22, 35)) : relation === 'parent' ? headYear - r.int(20, 30) : headYear + r.int(-3, 3);
		const adult = year - birthYear >= 16;
		const id = idNumber(r, birthYear, sex);
		const age = year - birthYear;
		const memberFlags: Flag[] = [];
		if (elderlyAlone) memberFlags.push('elderly_alone');
		if (age >= 75 && r.next() < 0.1) memberFlags.push('bedridden');
		if (age >= 60 && r.next() < 0.3) memberFlags.push('chronic_medication');
		if (age <= 1) memberFlags.push('infant');
		list.push({
			id: `${householdId}-m${i + 1}`,
			name: personName(r, relation === 'spouse' || relation === 'parent' ? undefined : surname),
			relation,
			sex,
			// Most registers know the full date (from the ID card); some only the year.
			birth: r.next() < 0.8 ? (birthDate(id) ?? String(birthYear)) : String(birthYear),
			phone: adult && r.next() < 0.85 ? mobile(r) : undefined,
			idNumber: id,
			residence: r.next() < 0.75 ? 'registered' : r.pick(['long_term', 'temporary', 'accompanying_student'] as const),
			flags: memberFlags
		});
	}
	return list;
}

function occupancy(r: Random, floor: number): Occupancy {
	const x = r.next();
	if (floor === 1 && x < 0.05) return 'shop';
	if (x < 0.08) return 'empty';
	if (x < 0.18) return 'rented_out';
	return 'lived_in';
}

/** Builds the community. Pure and deterministic: same options, same community. */
export function generateCommunity(options: DemoOptions = {}): DemoCommunity {
	const target = options.households ?? 2000;
	const communityId = options.communityId ?? 'c1';
	const r = random(options.seed ?? 20221123);
	const year = 2026;
	const community: Community = { v: 1, id: communityId, name: '东风社区' };
	const compounds: Compound[] = [];
	const buildings: Building[] = [];
	let doorCount = 0;
	while (doorCount < target) {
		const compoundIndex = compounds.length;
		const compound: Compound = { v: 1, id: `cp${compoundIndex + 1}`, name: COMPOUNDS[compoundIndex % COMPOUNDS.length] + (compoundIndex >= COMPOUNDS.length ? `${Math.floor(compoundIndex / COMPOUNDS.length) + 1}期` : '') };
		compounds.push(compound);
		const tower = r.next() < 0.3;
		const buildingCount = r.int(6, 14);
		for (let b = 1; b <= buildingCount && doorCount < target; b++) {
			const floors = tower ? r.int(18, 33) : r.int(5, 7);
			const doorsPerFloor = tower ? r.int(4, 6) : 2;
			const unitCount = tower ? 1 : r.int(2, 4);
			const units = Array.from({ length: unitCount }, (_, i) => ({ no: i + 1, floors, doorsPerFloor }));
			const building: Building = { v: 1, id: `${compound.id}-b${b}`, compoundId: compound.id, name: `${b}号楼`, units };
			buildings.push(building);
			doorCount += unitCount * floors * doorsPerFloor;
		}
	}

	const gridCount = Math.max(1, Math.round(doorCount / HOUSEHOLDS_PER_GRID));
	const perGrid = doorCount / gridCount;
	const grids: Grid[] = [];
	const households = new Map<string, Household[]>();
	let assigned = 0;
	for (const building of buildings) {
		const gridIndex = Math.min(gridCount - 1, Math.floor(assigned / perGrid));
		const gridId = `g${String(gridIndex + 1).padStart(2, '0')}`;
		if (!grids[gridIndex]) {
			grids[gridIndex] = { v: 1, id: gridId, name: `第${gridIndex + 1}网格`, buildingIds: [], workers: [] };
			households.set(gridId, []);
		}
		grids[gridIndex].buildingIds.push(building.id);
		for (const door of doorsOfBuilding(building)) {
			const id = householdIdOf(door.id);
			const use = occupancy(r, door.floor);
			const people = use === 'empty' || use === 'shop' ? [] : members(r, id, year);
			households.get(gridId)!.push({
				v: 1,
				id,
				doorId: door.id,
				occupancy: use,
				phone: people.find((m) => m.phone)?.phone,
				members: people,
				passCards: people.length > 0 ? 1 : 0,
				flags: people.length > 1 && people.every((m) => year - Number(m.birth.slice(0, 4)) >= 60) ? ['elderly_only'] : [],
				notes: ''
			});
		}
		assigned += doorsOfBuilding(building).length;
	}
	return { community, compounds, buildings, grids, households };
}
