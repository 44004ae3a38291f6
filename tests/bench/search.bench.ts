/**
 * Resident search benchmark (DESIGN.md §5: ≤ 50 ms per keystroke over 30,000 residents).
 *
 * Builds the 10,000-household demo community, projects its residents with real pinyin-pro, then
 * types realistic queries key by key and times each keystroke's search. A naive search (filter
 * with per-row lower-casing, then sort everything) runs in the same process on the same rows as
 * the baseline. Prints a table and writes tests/bench/results/search.json.
 *
 * Run: npm run bench:search   (not part of npm test: timings are not pass/fail)
 */
import { performance } from 'node:perf_hooks';
import { generateCommunity } from '../../server/demo/demo-community';
import { deriveRegister } from '../../src/lib/domain/register';
import { createIndex, doorKey, normalizeQuery, Searcher, MIN_NUMBER_LENGTH } from '../../src/lib/domain/search';
import { loadPinyin, projectGridResidents, type ResidentRecord } from '../../src/lib/data/resident-projection';
import { machine, median as medianOf, quantile, table, writeResult } from './support/report';
import { SEARCH_QUERIES as QUERIES } from './support/search-queries';

const HOUSEHOLDS = 10_000;
const REPETITIONS = 11;
const LIMIT = 50;

// ---- the naive baseline ----------------------------------------------------------------------------

/** The obvious implementation of the same rules: everything recomputed per row and per keystroke. */
function naiveSearch(rows: readonly ResidentRecord[], input: string, limit = LIMIT) {
	const q = normalizeQuery(input);
	if (q === '') return { total: 0, hits: [] as ResidentRecord[] };
	const digits = /^\+?[\d\-()]*$/.test(q) ? q.replace(/\D/g, '') : null;
	const door = doorKey(q);
	const kindOf = (r: ResidentRecord): number => {
		const building = /(\S+?)(?:号楼|号|栋|幢|座)(?:\s|$)/.exec(r.place)?.[1]?.toLowerCase();
		const keys = [r.doorLabel, `-${r.unitNo}-${r.doorLabel}`, `${building}-${r.doorLabel}`, `${building}-${r.unitNo}-${r.doorLabel}`];
		if (door !== null && keys.includes(door)) return 0;
		const name = r.name.toLowerCase();
		if (name.startsWith(q)) return 1;
		if (name.includes(q)) return 2;
		if (r.initials.toLowerCase().startsWith(q)) return 3;
		if (r.pinyin.toLowerCase().startsWith(q)) return 4;
		const phone = (r.phone ?? '').replace(/\D/g, '');
		if (digits !== null && digits.length >= MIN_NUMBER_LENGTH && phone.endsWith(digits)) return 5;
		if (digits !== null && digits.length >= MIN_NUMBER_LENGTH && phone.includes(digits)) return 6;
		if (q.length >= MIN_NUMBER_LENGTH && (r.idTail ?? '').toLowerCase().endsWith(q)) return 7;
		return -1;
	};
	const matched = rows.map((r) => ({ r, kind: kindOf(r) })).filter((m) => m.kind >= 0);
	matched.sort(
		(a, b) =>
			a.kind - b.kind ||
			a.r.place.localeCompare(b.r.place, 'zh-CN', { numeric: true }) ||
			a.r.doorLabel.localeCompare(b.r.doorLabel, 'zh-CN', { numeric: true }) ||
			a.r.id.localeCompare(b.r.id)
	);
	return { total: matched.length, hits: matched.slice(0, limit).map((m) => m.r) };
}

// ---- measuring ----------------------------------------------------------------------------------------

interface Stats {
	median: number;
	p95: number;
	max: number;
}

function stats(samples: number[]): Stats {
	const sorted = [...samples].sort((a, b) => a - b);
	return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] ?? 0 };
}

/** The median, over repetitions, of each repetition's median, p95 and max. */
function acrossRuns(runs: Stats[]): Stats {
	return { median: medianOf(runs.map((r) => r.median)), p95: medianOf(runs.map((r) => r.p95)), max: medianOf(runs.map((r) => r.max)) };
}

const gc = (globalThis as { gc?: () => void }).gc;

function timeTyping(keys: string[], search: (query: string) => { total: number }): { times: number[]; totals: number[] } {
	const times: number[] = [];
	const totals: number[] = [];
	let typed = '';
	for (const key of keys) {
		typed += key;
		const start = performance.now();
		const result = search(typed);
		times.push(performance.now() - start);
		totals.push(result.total);
	}
	return { times, totals };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

async function main() {
	const community = generateCommunity({ households: HOUSEHOLDS });
	const households = [...community.households.values()].reduce((n, list) => n + list.length, 0);

	const loadStart = performance.now();
	const toPinyin = await loadPinyin();
	const loadMs = performance.now() - loadStart;

	const projectStart = performance.now();
	const buildings = new Map(community.buildings.map((b) => [b.id, b]));
	const compounds = new Map(community.compounds.map((c) => [c.id, c]));
	const rows = community.grids.flatMap((grid) =>
		projectGridResidents(grid, buildings, compounds, deriveRegister(community.households.get(grid.id) ?? [], []), toPinyin)
	);
	const projectMs = performance.now() - projectStart;

	// Building the index is what opening the search screen (or a change of residents) costs.
	const indexTimes: number[] = [];
	let index = createIndex(rows);
	for (let rep = 0; rep < REPETITIONS; rep++) {
		gc?.();
		const start = performance.now();
		index = createIndex(rows);
		indexTimes.push(performance.now() - start);
	}
	const indexMs = medianOf(indexTimes);

	const ours = new Map<string, Stats[]>();
	const naive = new Map<string, Stats[]>();
	const totals = new Map<string, number[]>();
	let disagreements = 0;
	// One warm-up round (JIT), then the measured repetitions.
	for (let rep = 0; rep <= REPETITIONS; rep++) {
		for (const { label, keys } of QUERIES) {
			gc?.();
			// A new searcher per query, as when the search box is cleared and typed into again.
			const searcher = new Searcher(index);
			const a = timeTyping(keys, (q) => searcher.search(q, LIMIT));
			gc?.();
			const b = timeTyping(keys, (q) => naiveSearch(rows, q, LIMIT));
			if (a.totals.join() !== b.totals.join()) disagreements++;
			if (rep === 0) continue;
			(ours.get(label) ?? ours.set(label, []).get(label)!).push(stats(a.times));
			(naive.get(label) ?? naive.set(label, []).get(label)!).push(stats(b.times));
			totals.set(label, a.totals);
		}
	}

	const perQuery = QUERIES.map(({ label, keys }) => {
		const o = acrossRuns(ours.get(label)!);
		const n = acrossRuns(naive.get(label)!);
		return {
			query: label,
			keystrokes: keys.length,
			matchesPerKeystroke: totals.get(label)!,
			ours: { median: round(o.median), p95: round(o.p95), max: round(o.max) },
			naive: { median: round(n.median), p95: round(n.p95), max: round(n.max) },
			speedup: Math.round((n.median / o.median) * 10) / 10
		};
	});

	const result = {
		benchmark: 'resident search, per keystroke',
		target: '≤ 50 ms per keystroke (DESIGN.md §5)',
		date: new Date().toISOString(),
		fixture: { households, residents: rows.length, grids: community.grids.length, buildings: community.buildings.length },
		machine: machine(),
		method: `${REPETITIONS} repetitions after one warm-up; each query typed key by key with a new Searcher; per repetition the median, p95 and max over its keystrokes; reported: the median of each over the repetitions. Limit ${LIMIT}.`,
		setup: { loadPinyinMs: round(loadMs), projectResidentsMs: round(projectMs), createIndexMedianMs: round(indexMs) },
		naiveAgreesOnMatchCounts: disagreements === 0,
		queries: perQuery
	};

	const out = writeResult('search', result);

	const rowsTable = table(
		['query', 'keystrokes', 'median ms', 'p95 ms', 'max ms', 'naive median ms', 'naive p95 ms', 'naive max ms', 'naive ÷ ours (median)'],
		perQuery.map((q) => [q.query, q.keystrokes, q.ours.median.toFixed(2), q.ours.p95.toFixed(2), q.ours.max.toFixed(2), q.naive.median.toFixed(2), q.naive.p95.toFixed(2), q.naive.max.toFixed(2), `${q.speedup}×`])
	);
	console.log(`Resident search: ${rows.length} residents in ${households} households; ${result.machine.cpu}, ${result.machine.cores} cores, Node ${process.version}`);
	console.log(`setup: load pinyin-pro ${loadMs.toFixed(0)} ms, project residents ${projectMs.toFixed(0)} ms, build index ${indexMs.toFixed(0)} ms (median); load average ${result.machine.loadAverage1m}`);
	console.log(rowsTable);
	if (disagreements > 0) console.log(`!! naive and indexed search disagreed on match counts ${disagreements} times`);
	console.log(`written to ${out}`);
}

await main();
