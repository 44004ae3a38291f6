/**
 * The coordinator's import of a spreadsheet, and the export of the register.
 *
 * Import states, in order: `idle` (no file) → `reading` → `mapping` (rows read, the mapping is
 * being checked) → `invalid` (row errors listed, nothing can be imported) or `ready` (a plan
 * and its preview) → `importing` → `done`; `error` when the file cannot be read or the write
 * fails. Changing the mapping, the grid or the default compound checks the sheet again.
 * Confirming plans once more against the documents as they are now (a sync may have brought
 * changes since the preview) and writes only a plan that is still whole.
 */
import { m } from '$lib/paraglide/messages';
import { parseDocumentName } from '../domain/access';
import {
	findHeaderRow,
	planImport,
	registerFacts,
	suggestMapping,
	type ImportPlan,
	type ImportResult,
	type RowError,
	type Target
} from '../domain/register-import';
import { applyPlan, exportRows } from '../data/register-apply';
import { readSpreadsheet, saveFile, SpreadsheetError, writeCsv, writeXlsx } from '../data/spreadsheet';
import { LOCAL_ORIGIN } from '../sync/sync-engine';
import { handleError, notices } from './notices.svelte';
import type { Workspace } from './workspace.svelte';

export type ImportStep = 'idle' | 'reading' | 'mapping' | 'invalid' | 'ready' | 'importing' | 'done' | 'error';

/** What the screen says while something long runs. */
export type ImportProgress = { phase: 'reading'; bytes: number } | { phase: 'checking' | 'writing'; count: number };

export type ImportFailure = { code: 'too_large' | 'unsupported_format' | 'unreadable' | 'write_failed'; detail: string };

export type ExportFormat = 'xlsx' | 'csv';

/** Today as the device's calendar says it, `YYYY-MM-DD`. */
function localToday(): string {
	const now = new Date();
	return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** A frame for the browser to paint the progress line before a long synchronous step. */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 16));

export class RegisterImport {
	step = $state<ImportStep>('idle');
	progress = $state<ImportProgress | null>(null);
	failure = $state<ImportFailure | null>(null);
	fileName = $state('');
	rows = $state.raw<string[][]>([]);
	headerRow = $state(0);
	mapping = $state<(Target | null)[]>([]);
	gridId = $state('');
	/** The compound of every row when the sheet has no compound column. */
	defaultCompound = $state('');
	errors = $state.raw<RowError[]>([]);
	plan = $state.raw<ImportPlan | null>(null);
	/** What the last import wrote, for the success message. */
	imported = $state.raw<ImportPlan['counts'] | null>(null);
	exporting = $state<ExportFormat | null>(null);

	headers = $derived(this.rows[this.headerRow] ?? []);
	/** Rows below the header, blank ones included (their numbers are the sheet's). */
	dataRowCount = $derived(Math.max(0, this.rows.length - this.headerRow - 1));
	hasCompoundColumn = $derived(this.mapping.includes('compound'));
	canConfirm = $derived(this.step === 'ready' && this.plan !== null && this.plan.counts.doors > 0);
	/** What an export would hold now: the registers on this device, which fill in as they sync. */
	exportScope = $derived.by(() => {
		let households = 0;
		let people = 0;
		for (const state of this.workspace.registers.values()) {
			for (const file of state.households.values()) {
				households++;
				people += file.household.members.length;
			}
		}
		return { grids: this.workspace.registers.size, households, people };
	});

	private readonly workspace: Workspace;
	/** Each check supersedes the one before; a stale one does not overwrite newer results. */
	private checkId = 0;

	constructor(workspace: Workspace) {
		this.workspace = workspace;
	}

	get allowed(): boolean {
		return this.workspace.user.role === 'coordinator';
	}

	/** Reads a chosen file, suggests a mapping from its headers and checks it. */
	async choose(file: File): Promise<void> {
		if (!this.allowed) return;
		this.reset();
		this.fileName = file.name;
		this.step = 'reading';
		this.progress = { phase: 'reading', bytes: file.size };
		try {
			const rows = await readSpreadsheet(file);
			this.rows = rows;
			this.headerRow = findHeaderRow(rows);
			this.mapping = suggestMapping(this.headers);
			this.step = 'mapping';
			await this.check();
		} catch (error) {
			this.progress = null;
			this.step = 'error';
			if (error instanceof SpreadsheetError) this.failure = { code: error.code, detail: error.message };
			else {
				this.failure = { code: 'unreadable', detail: error instanceof Error ? error.message : String(error) };
				console.error(error);
			}
		}
	}

	setTarget(column: number, target: Target | null): Promise<void> {
		// A target belongs to one column: choosing it here frees it elsewhere.
		this.mapping = this.mapping.map((t, i) => (i === column ? target : t === target ? null : t));
		return this.recheck();
	}

	setGrid(gridId: string): Promise<void> {
		this.gridId = gridId;
		return this.recheck();
	}

	setDefaultCompound(name: string): Promise<void> {
		this.defaultCompound = name;
		return this.recheck();
	}

	/** Writes the plan into the documents, after planning it once more against the current data. */
	async confirm(): Promise<void> {
		if (!this.canConfirm) return;
		this.step = 'importing';
		const result = this.planNow();
		if (!result.ok) {
			this.show(result);
			return;
		}
		this.progress = { phase: 'writing', count: result.plan.counts.households };
		await nextFrame();
		try {
			const docs = this.documents(result.plan.gridId);
			applyPlan(result.plan, docs, LOCAL_ORIGIN);
			this.imported = result.plan.counts;
			this.step = 'done';
			notices.show(m.import_done_notice(this.noticeCounts(result.plan.counts)));
		} catch (error) {
			this.step = 'error';
			this.failure = { code: 'write_failed', detail: error instanceof Error ? error.message : String(error) };
			handleError(error, (detail) => m.import_failure_write_failed({ detail }));
		} finally {
			this.progress = null;
		}
	}

	/** Back to choosing a file. */
	reset(): void {
		this.checkId++;
		this.step = 'idle';
		this.progress = null;
		this.failure = null;
		this.fileName = '';
		this.rows = [];
		this.headerRow = 0;
		this.mapping = [];
		this.defaultCompound = '';
		this.errors = [];
		this.plan = null;
		this.imported = null;
	}

	/** Downloads the register of every grid this coordinator can see. */
	async export(format: ExportFormat): Promise<void> {
		if (!this.allowed || this.exporting) return;
		this.exporting = format;
		try {
			const rows = exportRows(this.workspace.index, this.workspace.registers);
			const blob = format === 'xlsx' ? await writeXlsx(rows, m.export_sheet_name()) : await writeCsv(rows);
			const name = m.export_file_name({ community: this.workspace.index.community?.name ?? '', date: localToday() });
			saveFile(blob, `${name}.${format}`);
			notices.show(m.export_done({ count: rows.length - 1 }));
		} catch (error) {
			handleError(error, (detail) => m.export_failed({ detail }));
		} finally {
			this.exporting = null;
		}
	}

	private async recheck(): Promise<void> {
		if (this.step === 'mapping' || this.step === 'invalid' || this.step === 'ready') {
			this.step = 'mapping';
			await this.check();
		}
	}

	private async check(): Promise<void> {
		const id = ++this.checkId;
		this.plan = null;
		this.errors = [];
		this.progress = { phase: 'checking', count: this.dataRowCount };
		await nextFrame();
		if (id !== this.checkId) return;
		// Right after sign-in the grids may still be arriving: default to the first one there is.
		if (!this.workspace.grids.some((g) => g.id === this.gridId)) this.gridId = this.workspace.grids[0]?.id ?? '';
		const result = this.planNow();
		this.progress = null;
		this.show(result);
	}

	private show(result: ImportResult) {
		this.errors = result.ok ? [] : result.errors;
		this.plan = result.ok ? result.plan : null;
		this.step = result.ok ? 'ready' : 'invalid';
	}

	private planNow(): ImportResult {
		const facts = registerFacts([...this.workspace.registers.values()].flatMap((state) => [...state.households.values()]));
		return planImport({
			rows: this.rows,
			headerRow: this.headerRow,
			mapping: this.mapping,
			gridId: this.gridId,
			existing: this.workspace.index,
			occupiedDoors: facts.occupiedDoors,
			knownIdNumbers: facts.knownIdNumbers,
			defaultCompound: this.defaultCompound,
			today: localToday()
		});
	}

	/** The index and the grid's register, both writable, or an error before anything is written. */
	private documents(gridId: string) {
		const index = [...this.workspace.engine.replicas.values()].find(
			(replica) => parseDocumentName(replica.name)?.kind === 'index' && replica.access === 'write'
		)?.doc;
		const register = this.workspace.accessToGrid(gridId) === 'write' ? this.workspace.registerDoc(gridId) : undefined;
		if (!index || !register) throw new Error('read_only');
		return { index, register };
	}

	private noticeCounts(counts: ImportPlan['counts']) {
		return { households: counts.households, people: counts.people, buildings: counts.newBuildings + counts.grownBuildings, doors: counts.doors };
	}
}
