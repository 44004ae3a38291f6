/**
 * Resident search: how a query is read, what each kind of match finds, how results rank, and
 * that narrowing by the previous query never changes what a search returns.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	createIndex,
	doorKey,
	matchKinds,
	naturalCompare,
	normalizeQuery,
	search,
	Searcher,
	segments,
	type MatchKind,
	type SearchRecord
} from '$lib/domain/search';
import { projectGridResidents } from '$lib/data/resident-projection';
import { deriveRegister } from '$lib/domain/register';
import type { Household } from '$lib/domain/household';

let nextId = 1;
function resident(init: Partial<SearchRecord> = {}): SearchRecord {
	const unitNo = init.unitNo ?? 2;
	return {
		id: `m${nextId++}`,
		buildingId: 'cp1-b9',
		unitNo,
		doorLabel: '301',
		place: `幸福里 9号楼 ${unitNo}单元`,
		name: '赵六',
		pinyin: 'zhaoliu',
		initials: 'zl',
		...init
	};
}

const kinds = (records: SearchRecord[], query: string) => search(records, query).hits.map((h) => [h.record.name, h.match.kind]);

describe('normalizeQuery', () => {
	it('trims, lower-cases and removes every space, the ideographic one too', () => {
		expect(normalizeQuery('  Wang Xiu\tYing ')).toBe('wangxiuying');
		expect(normalizeQuery('王　秀')).toBe('王秀');
	});

	it('makes full-width digits and letters half-width, as a Chinese input method types them', () => {
		expect(normalizeQuery('５０２')).toBe('502');
		expect(normalizeQuery('ＷＸＹ')).toBe('wxy');
		expect(normalizeQuery('１３８－００１３')).toBe('138-0013');
		expect(normalizeQuery('００２Ｘ')).toBe('002x');
	});

	it('finds a door typed in full-width digits', () => {
		const records = [resident({ name: '王秀英', doorLabel: '502' })];
		expect(kinds(records, '５０２')).toEqual([['王秀英', 'door']]);
	});
});

describe('doorKey', () => {
	it('reads the ways staff write a door', () => {
		expect(doorKey('502')).toBe('502');
		expect(doorKey('502室')).toBe('502');
		expect(doorKey('1203')).toBe('1203');
		expect(doorKey('9-502')).toBe('9-502');
		expect(doorKey('9号楼502')).toBe('9-502');
		expect(doorKey('9栋502室')).toBe('9-502');
		expect(doorKey('9-2-502')).toBe('9-2-502');
		expect(doorKey('9号楼2单元502室')).toBe('9-2-502');
		expect(doorKey('9号楼02单元502')).toBe('9-2-502');
		expect(doorKey('2单元502')).toBe('-2-502');
	});

	it('is null for what is not a door', () => {
		for (const q of ['50', '12345', 'wxy', '王秀', '138-00135512', '']) expect(doorKey(q), q).toBeNull();
	});
});

describe('each kind of match', () => {
	const wang = resident({
		name: '王秀英',
		pinyin: 'wangxiuying',
		initials: 'wxy',
		doorLabel: '502',
		phone: '13800135512',
		idTail: '31002X'
	});
	const other = resident({ name: '李建国', pinyin: 'lijianguo', initials: 'ljg', doorLabel: '601', phone: '13912345678', idTail: '120014' });
	const records = [wang, other];

	it.each([
		['502', 'door'],
		['502室', 'door'],
		['9-2-502', 'door'],
		['9-502', 'door'],
		['9号楼502', 'door'],
		['9号楼2单元502室', 'door'],
		['2单元502', 'door'],
		['王秀', 'name_prefix'],
		['秀英', 'name_contains'],
		['wxy', 'initials'],
		['WX', 'initials'],
		['wangxiu', 'pinyin'],
		['wang xiu', 'pinyin'],
		['5512', 'phone_suffix'],
		['13800135512', 'phone_suffix'],
		['0013', 'phone_contains'],
		['138-0013', 'phone_contains'],
		['+86 138 0013 5512', 'phone_suffix'],
		['002x', 'id_tail'],
		['002X', 'id_tail'],
		['31002x', 'id_tail']
	] as [string, MatchKind][])('%s finds 王秀英 by %s', (query, kind) => {
		const result = search(records, query);
		expect(result.hits.map((h) => h.record.name)).toEqual(['王秀英']);
		expect(result.hits[0].match.kind).toBe(kind);
		expect(result.total).toBe(1);
	});

	it('needs four digits for a phone and four characters for an ID tail', () => {
		expect(search(records, '551').total).toBe(0);
		expect(search(records, '02x').total).toBe(0);
	});

	it('matches an ID number by its tail only, not the middle of the kept characters', () => {
		expect(search(records, '3100').total).toBe(0);
	});

	it('does not match a door of another building or unit', () => {
		expect(search(records, '8号楼502').total).toBe(0);
		expect(search(records, '9-1-502').total).toBe(0);
		expect(search(records, '50').total).toBe(0);
	});

	it('finds nothing for an empty query', () => {
		expect(search(records, '   ')).toEqual({ query: '', total: 0, hits: [] });
	});
});

describe('ranking', () => {
	it('ranks door, then phone suffix, phone contains, ID tail', () => {
		const records = [
			resident({ name: 'idtail', idTail: '001203' }),
			resident({ name: 'contains', phone: '13812035678' }),
			resident({ name: 'suffix', phone: '13856781203' }),
			resident({ name: 'door', doorLabel: '1203' })
		];
		expect(kinds(records, '1203')).toEqual([
			['door', 'door'],
			['suffix', 'phone_suffix'],
			['contains', 'phone_contains'],
			['idtail', 'id_tail']
		]);
	});

	it('ranks name prefix, then name contains, initials, full pinyin', () => {
		const records = [
			resident({ name: '李娜', pinyin: 'lina', initials: 'ln' }),
			resident({ name: '刘一', pinyin: 'liuyi', initials: 'li' }),
			resident({ name: 'Ali', pinyin: 'ali', initials: 'ali' }),
			resident({ name: 'Lily', pinyin: 'lily', initials: 'lily' })
		];
		expect(kinds(records, 'li')).toEqual([
			['Lily', 'name_prefix'],
			['Ali', 'name_contains'],
			['刘一', 'initials'],
			['李娜', 'pinyin']
		]);
	});

	it('puts the exact name before longer ones, and an earlier position first', () => {
		const records = [resident({ name: '王秀英' }), resident({ name: '王秀' }), resident({ name: '张王秀' }), resident({ name: '欧阳王秀' })];
		expect(kinds(records, '王秀').map(([name]) => name)).toEqual(['王秀', '王秀英', '张王秀', '欧阳王秀']);
	});

	it('breaks ties by building (numbers as numbers), unit, door and member id, whatever the input order', () => {
		const records = [
			resident({ id: 'm2', buildingId: 'cp1-b10', unitNo: 1, doorLabel: '101', name: '王芳' }),
			resident({ id: 'm1', buildingId: 'cp1-b9', unitNo: 2, doorLabel: '101', name: '王芳' }),
			resident({ id: 'm3', buildingId: 'cp1-b9', unitNo: 1, doorLabel: '1101', name: '王芳' }),
			resident({ id: 'm4', buildingId: 'cp1-b9', unitNo: 1, doorLabel: '201', name: '王芳' }),
			resident({ id: 'm10', buildingId: 'cp1-b9', unitNo: 1, doorLabel: '201', name: '王芳' }),
			resident({ id: 'm9', buildingId: 'cp1-b9', unitNo: 1, doorLabel: '201', name: '王芳' })
		];
		const expected = ['m4', 'm9', 'm10', 'm3', 'm1', 'm2'];
		fc.assert(
			fc.property(fc.shuffledSubarray(records, { minLength: records.length }), (shuffled) => {
				expect(search(shuffled, '王芳').hits.map((h) => h.record.id)).toEqual(expected);
			})
		);
	});

	it('returns the best N and counts them all', () => {
		const records = Array.from({ length: 80 }, (_, i) => resident({ name: `王${i}`, doorLabel: String(101 + i) }));
		const result = search(records, '王', 10);
		expect(result.total).toBe(80);
		expect(result.hits).toHaveLength(10);
		expect(search(records, '王').hits).toHaveLength(50);
	});
});

describe('what matched, for highlighting', () => {
	it('gives the matched range in the field', () => {
		const records = [
			resident({ name: '欧阳秀英', pinyin: 'ouyangxiuying', initials: 'oyxy', phone: '010-12345678', idTail: '31002X' })
		];
		expect(search(records, '秀英').hits[0].match).toEqual({ kind: 'name_contains', field: 'name', start: 2, end: 4 });
		expect(search(records, 'oyx').hits[0].match).toEqual({ kind: 'initials', field: 'initials', start: 0, end: 3 });
		expect(search(records, 'ouyang').hits[0].match).toEqual({ kind: 'pinyin', field: 'pinyin', start: 0, end: 6 });
		// Positions in the phone as stored, dash included.
		expect(search(records, '01012').hits[0].match).toEqual({ kind: 'phone_contains', field: 'phone', start: 0, end: 6 });
		expect(search(records, '5678').hits[0].match).toEqual({ kind: 'phone_suffix', field: 'phone', start: 8, end: 12 });
		expect(search(records, '002x').hits[0].match).toEqual({ kind: 'id_tail', field: 'idTail', start: 2, end: 6 });
	});

	it('splits text into marked and plain runs', () => {
		expect(segments('王秀英', 0, 2)).toEqual([
			{ text: '王秀', mark: true },
			{ text: '英', mark: false }
		]);
		expect(segments('502', 0, 9)).toEqual([{ text: '502', mark: true }]);
	});
});

describe('naturalCompare', () => {
	it('orders digit runs as numbers', () => {
		const sorted = ['b10', 'b9', 'b1', 'a', 'b01x', 'b1-2'].sort(naturalCompare);
		expect(sorted).toEqual(['a', 'b1', 'b1-2', 'b01x', 'b9', 'b10']);
	});
});

describe('ID numbers stay masked', () => {
	it('never puts the full number in a row or a result', () => {
		const full = '11010519491231002X';
		const household: Household = {
			v: 1,
			id: 'h-cp1-b9-2-502',
			doorId: 'cp1-b9-2-502',
			occupancy: 'lived_in',
			members: [{ id: 'm1', name: '王秀英', relation: 'head', sex: 'female', birth: '1949-12-31', idNumber: full, residence: 'registered', flags: [] }],
			passCards: 1,
			flags: [],
			notes: ''
		};
		const rows = projectGridResidents(
			{ v: 1, id: 'g01', name: '第1网格', buildingIds: ['cp1-b9'], workers: [] },
			new Map([['cp1-b9', { v: 1, id: 'cp1-b9', compoundId: 'cp1', name: '9号楼', units: [{ no: 1, floors: 1, doorsPerFloor: 1 }, { no: 2, floors: 5, doorsPerFloor: 2 }] }]]),
			new Map([['cp1', { v: 1, id: 'cp1', name: '幸福里' }]]),
			deriveRegister([household], []),
			() => ({ pinyin: 'wangxiuying', initials: 'wxy' })
		);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ idMasked: '110***********002X', idTail: '31002X' });
		expect(JSON.stringify(rows)).not.toContain(full);
		for (const query of ['002X', '502', '王', full, full.slice(0, 10)]) {
			expect(JSON.stringify(search(rows, query)), query).not.toContain(full);
		}
		expect(search(rows, full).total).toBe(0);
	});
});

// ---- properties -----------------------------------------------------------------------------------

const NAME_CHARS = ['王', '李', '秀', '英', '欧', '阳', 'a', 'l', 'i'];
const LETTERS = ['w', 'a', 'n', 'g', 'l', 'i', 'x', 'y', 'o'];
const DIGITS = ['0', '1', '2', '3', '5', '9'];
const QUERY_PARTS = [...NAME_CHARS, ...LETTERS, ...DIGITS, 'x', '-', '+', '号楼', '单元', '室', ' ', '５', 'Ｗ'];

const word = (chars: string[], min: number, max: number) =>
	fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));

const recordArb = fc.record({
	buildingNo: fc.constantFrom('1', '2', '10'),
	unitNo: fc.integer({ min: 1, max: 3 }),
	doorLabel: fc.constantFrom('101', '502', '1203', '2501'),
	name: word(NAME_CHARS, 1, 4),
	pinyin: word(LETTERS, 1, 10),
	initials: word(LETTERS, 1, 4),
	phone: fc.option(word(DIGITS, 11, 11), { nil: undefined }),
	// Like a real tail: five digits and a check character that may be X.
	idTail: fc.option(fc.tuple(word(DIGITS, 5, 5), fc.constantFrom(...DIGITS, 'X')).map(([d, c]) => d + c), { nil: undefined })
});

const recordsArb = fc.array(recordArb, { maxLength: 40 }).map((list) =>
	list.map(
		(r, i): SearchRecord => ({
			id: `m${i}`,
			buildingId: `cp1-b${r.buildingNo}`,
			unitNo: r.unitNo,
			doorLabel: r.doorLabel,
			place: `幸福里 ${r.buildingNo}号楼 ${r.unitNo}单元`,
			name: r.name,
			pinyin: r.pinyin,
			initials: r.initials,
			phone: r.phone,
			idTail: r.idTail
		})
	)
);

const queryArb = fc.array(fc.constantFrom(...QUERY_PARTS), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));

/** A query taken from one of the records, as staff would type it, so that most queries find someone. */
const typedArb = fc.record({
	pick: fc.nat(),
	field: fc.constantFrom('name', 'pinyin', 'initials', 'phone', 'idTail', 'door', 'place'),
	from: fc.nat(),
	prefix: fc.constantFrom('', '', '+86', '+86 ', ' '),
	dash: fc.boolean()
});

function typed(records: SearchRecord[], t: { pick: number; field: string; from: number; prefix: string; dash: boolean }): string {
	const r = records[t.pick % Math.max(1, records.length)];
	if (!r) return '王';
	const tail = (text: string) => text.slice(t.from % Math.max(1, text.length));
	switch (t.field) {
		case 'name':
			return tail(r.name);
		case 'pinyin':
			return r.pinyin;
		case 'initials':
			return r.initials;
		case 'phone': {
			const digits = tail(r.phone ?? '13800135512');
			return t.prefix + (t.dash && digits.length > 3 ? `${digits.slice(0, 3)}-${digits.slice(3)}` : digits);
		}
		case 'idTail':
			return tail(r.idTail ?? '31002X');
		case 'door':
			return r.doorLabel;
		default: {
			const building = /(\d+)号楼/.exec(r.place)?.[1];
			return t.dash ? `${building}-${r.unitNo}-${r.doorLabel}` : `${building}号楼${r.unitNo}单元${r.doorLabel}室`;
		}
	}
}

/** Every kind by which a record matches a normalized query, written plainly from the rules. */
function oracleKinds(r: SearchRecord, q: string): MatchKind[] {
	const found: MatchKind[] = [];
	const key = doorKey(q);
	const unitKey = (n: number) => `-${n}-${r.doorLabel}`;
	const building = /(\d+)号楼/.exec(r.place)?.[1];
	if (key !== null && [r.doorLabel, unitKey(r.unitNo), `${building}-${r.doorLabel}`, `${building}-${r.unitNo}-${r.doorLabel}`].includes(key)) {
		found.push('door');
	}
	if (r.name.toLowerCase().startsWith(q)) found.push('name_prefix');
	else if (r.name.toLowerCase().includes(q)) found.push('name_contains');
	if (r.initials.startsWith(q)) found.push('initials');
	if (r.pinyin.startsWith(q)) found.push('pinyin');
	if (/^\+?[\d\-()]*$/.test(q) && r.phone) {
		const digits = q.replace(/\D/g, '').slice(q.startsWith('+86') ? 2 : 0);
		if (digits.length >= 4 && r.phone.endsWith(digits)) found.push('phone_suffix');
		else if (digits.length >= 4 && r.phone.includes(digits)) found.push('phone_contains');
	}
	if (r.idTail && q.length >= 4 && r.idTail.toLowerCase().endsWith(q)) found.push('id_tail');
	return found;
}

describe('properties', () => {
	it('every result matches the query, by its best kind, and every match is counted', () => {
		fc.assert(
			fc.property(recordsArb, fc.oneof(queryArb, typedArb), (records, query) => {
				const input = typeof query === 'string' ? query : typed(records, query);
				const q = normalizeQuery(input);
				const result = search(records, input, Infinity);
				const expected = records.filter((r) => q !== '' && oracleKinds(r, q).length > 0);
				expect(result.total).toBe(expected.length);
				expect(result.hits.map((h) => h.record.id).sort()).toEqual(expected.map((r) => r.id).sort());
				for (const hit of result.hits) {
					const best = oracleKinds(hit.record, q).sort((a, b) => matchKinds.indexOf(a) - matchKinds.indexOf(b))[0];
					expect(hit.match.kind).toBe(best);
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('typing a query key by key (narrowing by the previous query) gives what a fresh search gives', () => {
		fc.assert(
			fc.property(recordsArb, fc.array(fc.oneof(queryArb, typedArb), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 60 }), (records, words, limit) => {
				const index = createIndex(records);
				const typing = new Searcher(index);
				// Type several words, each key by key, then delete back to nothing: extends and shrinks.
				const text = words.map((w) => (typeof w === 'string' ? w : typed(records, w))).join('');
				const steps = [...Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1)), ...Array.from({ length: text.length }, (_, i) => text.slice(0, text.length - i - 1))];
				for (const query of steps) {
					expect(typing.search(query, limit), query).toEqual(new Searcher(index).search(query, limit));
				}
			}),
			{ numRuns: 200 }
		);
	});

	it('a longer name, pinyin or initials query never finds someone the shorter one did not', () => {
		const letters = fc.array(fc.constantFrom(...NAME_CHARS, ...LETTERS), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
		fc.assert(
			fc.property(recordsArb, letters, letters, (records, short, more) => {
				const ids = (q: string) => new Set(search(records, q, Infinity).hits.map((h) => h.record.id));
				const shorter = ids(short);
				for (const id of ids(short + more)) expect(shorter.has(id)).toBe(true);
			})
		);
	});
});
