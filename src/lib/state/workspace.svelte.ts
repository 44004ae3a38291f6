/**
 * What a signed-in user works on: their documents (loaded from the device, synced when online),
 * the community index, the door rows of their grids, and the sync state shown on every screen.
 */
import { liveQuery, type Subscription } from 'dexie';
import { v7 as uuid } from 'uuid';
import * as hlc from '../domain/hlc';
import { createEvent, type FieldState, type LogEvent, type NewEvent, type VisitEvent, type VisitOutcome } from '../domain/events';
import type { NeedStatus, needCreatedSchema } from '../domain/needs';
import type { z } from 'zod';
import { deriveRegister, type RegisterState } from '../domain/register';
import { parseDocumentName, type Access } from '../domain/access';
import { buildingIdsOfGrid, gridHoldsDoor, unitHolders, type Building, type Grid } from '../domain/places';
import * as communityIndex from '../data/community-index-doc';
import * as register from '../data/register-doc';
import { subscribe } from '../data/y-values';
import { gridProgress, projectGridDoors, type DoorRow, type GridProgress } from '../data/projections';
import { refreshResidents } from '../data/resident-projection';
import { scopeToDoors } from '../data/register-move';
import * as changesFile from '../domain/changes-file';
import { fromBase64, toBase64 } from '../domain/base64';
import type { EventKind } from '../domain/events';
import * as unsynced from '../data/unsynced-changes';
import { dropPhantomRows } from '../data/outbox';
import { DraftStore } from '../data/drafts';
import { getSetting, putSetting, type LocalDb, type OutboxRow, type SessionRow } from '../data/local-db';
import * as api from '../sync/api';
import { LOCAL_ORIGIN, SyncEngine, type ConnectionState } from '../sync/sync-engine';
import { m } from '../paraglide/messages';
import { notices } from './notices.svelte';

export type LoadState = 'loading' | 'ready' | 'error';

export interface FieldChange {
	/** A household field path, e.g. `phone` or `member.m3.idNumber`. */
	field: string;
	value: unknown;
}

export type NeedCreated = z.input<typeof needCreatedSchema>;

const CLOCK_KEY = 'clock';
const LAST_SYNC_KEY = 'lastSyncAt';
/** The state vector (base64) of a document the server last said it holds. */
const acknowledgedKey = (documentName: string) => `acknowledged:${documentName}`;
/** The state vector of an empty document: what an export builds on when the server never answered. */
const NOTHING_ACKNOWLEDGED = toBase64(new Uint8Array([0]));
const DISPLAY_NAMES_KEY = 'displayNames';
/** Remote updates arrive in bursts; re-projecting once per burst keeps the UI responsive. */
const PROJECTION_DELAY_MS = 100;
/** User Timing marks of a start, for benchmarks and DevTools: the home screen can show, and every document is read. */
const OVERVIEW_MARK = 'gridwalk:overview';
const DOCUMENTS_LOADED_MARK = 'gridwalk:documents-loaded';

export class Workspace {
	/** 'ready' once every document is read from the device and every grid's register derived. */
	load = $state<LoadState>('loading');
	/**
	 * The community index is read, and each grid's progress as last seen here: the home screen
	 * can show while the registers are still being read (`registers` fills grid by grid).
	 */
	indexLoaded = $state(false);
	/** Each grid's progress: from its door rows, or as kept on the device until its register is read. */
	progress = $state.raw<ReadonlyMap<string, GridProgress>>(new Map());
	/** Until the socket says otherwise (it is set up once the home screen is drawn). */
	connection = $state<ConnectionState>(navigator.onLine ? 'connecting' : 'offline');
	/** Events made or imported here that the server has not acknowledged. */
	outbox = $state.raw<OutboxRow[]>([]);
	pending = $derived(this.outbox.length);
	lastSyncAt = $state<number | null>(null);
	authenticationFailed = $state(false);
	/** Set by the session: the server says this account's grants changed while connected. */
	onAccessChanged?: () => void;
	index = $state.raw<communityIndex.CommunityIndex>({ community: null, compounds: [], buildings: [], grids: [] });
	/** Each open grid's register as it stands, by grid id; replaced (not mutated) on every change. */
	registers = $state.raw<ReadonlyMap<string, RegisterState>>(new Map());
	/** Each open grid's door rows, by grid id, replaced with its register. */
	private doorsOfGrid = $state.raw<ReadonlyMap<string, DoorRow[]>>(new Map());

	/**
	 * Display names by username, to say who did what: this user's own, and for a coordinator every
	 * account of the community (kept on the device, so they show offline too).
	 */
	displayNames = $state.raw<ReadonlyMap<string, string>>(new Map());

	/** The grids this user may open, in the index's order. */
	grids = $derived(this.index.grids.filter((g) => this.registerName(g.id) !== undefined));
	buildings = $derived(new Map(this.index.buildings.map((b) => [b.id, b])));
	/** Every door of this user's grids, grid by grid. */
	doors = $derived(this.grids.flatMap((g) => this.doorsOfGrid.get(g.id) ?? []));

	readonly engine: SyncEngine;
	private readonly db: LocalDb;
	private readonly session: SessionRow;
	private readonly drafts: DraftStore;
	private readonly subscriptions: Subscription[] = [];
	private readonly unsubscribers: (() => void)[] = [];
	private readonly projectionTimers = new Map<string, ReturnType<typeof setTimeout>>();
	private clock: hlc.Clock;
	private residentsRefresh: Promise<void> = Promise.resolve();
	/** Grids whose search rows are to be refreshed, each from its latest register. */
	private readonly residentsToRefresh = new Map<string, () => Promise<void>>();
	/** Registers a screen is waiting for, read before the others. */
	private readonly wanted = new Set<string>();
	private stopped = false;
	/** Resolves once the home screen can show (`indexLoaded`), or the start failed. */
	readonly overview: Promise<void>;
	private overviewRead!: () => void;
	/** Settles once every document is read (exports and imports wait for it). */
	private readonly documentsLoaded: Promise<void>;
	private documentsRead!: { resolve: () => void; reject: (error: unknown) => void };

	constructor(db: LocalDb, session: SessionRow, syncUrl: string) {
		this.db = db;
		this.session = session;
		this.drafts = new DraftStore(db, session.user.username);
		this.overview = new Promise((resolve) => (this.overviewRead = resolve));
		this.documentsLoaded = new Promise((resolve, reject) => (this.documentsRead = { resolve, reject }));
		// Only exports and imports wait for it; a failed start is shown by `load`.
		this.documentsLoaded.catch(() => undefined);
		this.clock = hlc.create(deviceId());
		this.engine = new SyncEngine({
			url: syncUrl,
			token: session.token,
			username: session.user.username,
			documents: session.documents,
			onAcknowledged: (name, stateVector) => void this.acknowledge(name, stateVector),
			onConnectionChange: (state) => (this.connection = state),
			onAuthenticationFailed: (name, reason) => {
				// 'invalid-token': expired or the account was disabled, so sign in again. 'forbidden': the
				// grant was withdrawn since sign-in; the session refreshes its grants when online.
				if (reason === 'invalid-token') this.authenticationFailed = true;
				else console.warn(`sync refused ${name}: ${reason}`);
			},
			onClosedByServer: (name, reason) => {
				if (reason === 'access-changed') {
					this.onAccessChanged?.();
					return;
				}
				console.warn(`server refused a change to ${name}: ${reason}`);
				notices.show(m.sync_change_refused({ reason: reason.replace(/^refused: /, '') }), 'error');
			}
		});
	}

	get user() {
		return this.session.user;
	}

	/**
	 * Shows what the device holds and syncs it: first the index and the progress kept here (the
	 * home screen), then each register in turn, each syncing as soon as it is read.
	 */
	async start(): Promise<void> {
		try {
			this.subscriptions.push(
				liveQuery(() => this.db.outbox.toArray()).subscribe((rows) => (this.outbox = rows))
			);
			const [clock, lastSync, progress] = await Promise.all([
				getSetting<hlc.Clock>(this.db, CLOCK_KEY),
				getSetting<number>(this.db, LAST_SYNC_KEY),
				this.db.gridProgress.toArray()
			]);
			if (clock) this.clock = { ...clock, node: this.clock.node };
			this.lastSyncAt = lastSync ?? null;
			this.progress = new Map(progress.map((p) => [p.gridId, p]));
			const indexName = this.documentName('index');
			if (indexName) await this.open(indexName);
			this.refreshIndex();
			this.indexLoaded = true;
			this.overviewRead();
			performance.mark(OVERVIEW_MARK);
			// The home screen is drawn before the socket is set up (a frame later is nothing to a
			// connection; the start at 4× CPU spent ~10 ms on it).
			await afterPaint();
			if (this.stopped) return;
			this.engine.connect();
			await this.loadDocuments();
			if (this.stopped) return;
			const loaded = [...this.engine.replicas].filter(([name]) => this.engine.isLoaded(name));
			await dropPhantomRows(this.db, new Map(loaded.map(([name, replica]) => [name, replica.doc])));
			this.documentsRead.resolve();
			this.load = 'ready';
			performance.mark(DOCUMENTS_LOADED_MARK);
			void this.loadDisplayNames();
			// Ask the browser not to evict this device's data under storage pressure.
			void navigator.storage?.persist?.().catch(() => false);
		} catch (error) {
			console.error(error);
			this.documentsRead.reject(error);
			this.load = 'error';
			this.overviewRead();
		}
	}

	/** The index and these grids' registers are read: a screen showing their doors can. */
	registersRead(gridIds: Iterable<string>): boolean {
		return this.indexLoaded && [...gridIds].every((id) => this.registers.has(id));
	}

	/** Asks for these grids' registers to be read next: a screen is waiting for them. */
	prioritize(gridIds: Iterable<string>): void {
		for (const gridId of gridIds) {
			const name = this.registerName(gridId);
			if (name && !this.engine.isLoaded(name)) this.wanted.add(name);
		}
	}

	/**
	 * Reads the other documents one at a time, those a screen waits for first, in the index's
	 * order otherwise; the browser paints and answers taps between them.
	 */
	private async loadDocuments() {
		const inOrder = [...this.grids.flatMap((g) => this.registerName(g.id) ?? []), ...this.engine.replicas.keys()];
		const pending = new Set(inOrder.filter((name) => !this.engine.isLoaded(name)));
		while (pending.size > 0 && !this.stopped) {
			const name = [...this.wanted].find((n) => pending.has(n)) ?? pending.values().next().value!;
			pending.delete(name);
			this.wanted.delete(name);
			await this.open(name);
			const ref = parseDocumentName(name);
			if (ref?.kind === 'register') this.project(ref.gridId);
			await new Promise((resolve) => setTimeout(resolve));
		}
	}

	/** Reads a document from the device and re-projects whenever it changes. */
	private async open(name: string) {
		await this.engine.load(name);
		const ref = parseDocumentName(name);
		const doc = this.engine.replicas.get(name)!.doc;
		this.unsubscribers.push(subscribe(doc, () => this.scheduleProjection(ref?.kind === 'register' ? ref.gridId : '*')));
	}

	private documentName(kind: 'index'): string | undefined {
		return this.session.documents.find((d) => parseDocumentName(d.name)?.kind === kind)?.name;
	}

	async close(): Promise<void> {
		this.stopWatching();
		await this.engine.close();
	}

	/** Deletes this user's documents and local data from the device. */
	async wipe(): Promise<void> {
		this.stopWatching();
		await this.engine.wipe();
	}

	registerName(gridId: string): string | undefined {
		return this.session.documents.find((d) => {
			const ref = parseDocumentName(d.name);
			return ref?.kind === 'register' && ref.gridId === gridId;
		})?.name;
	}

	accessToGrid(gridId: string): Access | undefined {
		const name = this.registerName(gridId);
		return name ? this.engine.replicas.get(name)?.access : undefined;
	}

	gridOfBuilding(buildingId: string): Grid | undefined {
		return this.grids.find((g) => g.buildingIds.includes(buildingId));
	}

	/** The grid of this user's that holds a unit, if any (a unit may be another grid's than its building). */
	gridOfUnit(buildingId: string, unitNo: number): Grid | undefined {
		const holders = unitHolders(this.index.grids, buildingId, unitNo);
		return this.grids.find((g) => holders.includes(g.id));
	}

	/** The buildings a grid holds at least one unit of, in order: its own, then those of its extra units. */
	buildingsOfGrid(gridId: string): string[] {
		const grid = this.index.grids.find((g) => g.id === gridId);
		if (!grid) return [];
		return buildingIdsOfGrid(grid, this.index.grids, this.buildings);
	}

	/** This user's grids that hold a unit of a building (normally one), in the index's order. */
	gridsOfBuilding(buildingId: string): Grid[] {
		const holders = new Set(this.building(buildingId)?.units.flatMap((u) => unitHolders(this.index.grids, buildingId, u.no)));
		return this.grids.filter((g) => holders.has(g.id));
	}

	/** The doors of a building that this user's grids hold, read from the grids that hold its units. */
	doorsOfBuilding(buildingId: string): DoorRow[] {
		return this.gridsOfBuilding(buildingId).flatMap((g) => (this.doorsOfGrid.get(g.id) ?? []).filter((d) => d.buildingId === buildingId));
	}

	building(buildingId: string): Building | undefined {
		return this.buildings.get(buildingId);
	}

	/** Every visit to a door, oldest first, and whether its latest records conflict. */
	visits(door: DoorRow): FieldState<VisitEvent> | undefined {
		return this.registers.get(door.gridId)?.visits.get(door.id);
	}

	/** Records a visit outcome on a door. Works offline; syncs when the connection is back. */
	async recordVisit(door: DoorRow, outcome: VisitOutcome, note: string): Promise<void> {
		await this.append(door.gridId, [
			{ kind: 'visit', entity: door.id, value: { outcome, note }, seen: this.visits(door) }
		]);
	}

	/**
	 * Changes fields of a household file (see household.ts for the paths), one event per field,
	 * each superseding the values this device shows: picking one side of a conflict is the same.
	 */
	async editHousehold(gridId: string, householdId: string, changes: readonly FieldChange[]): Promise<void> {
		const file = this.registers.get(gridId)?.households.get(householdId);
		await this.append(
			gridId,
			changes.map(({ field, value }) => ({ kind: 'household', entity: householdId, field, value, seen: file?.fields.get(field) }))
		);
	}

	/** Adds a member to a household with the given fields; returns the new member's id. */
	async addMember(gridId: string, householdId: string, values: Readonly<Record<string, unknown>>): Promise<string> {
		const memberId = `m${uuid().replaceAll('-', '').slice(-16)}`;
		const changes = Object.entries(values)
			.filter(([, value]) => value !== undefined)
			.map(([field, value]) => ({ field: `member.${memberId}.${field}`, value }));
		await this.editHousehold(gridId, householdId, changes);
		return memberId;
	}

	/** Records a new need of a household in the needs ledger; returns the need's id. */
	async addNeed(gridId: string, value: NeedCreated): Promise<string> {
		const id = `n${uuid().replaceAll('-', '')}`;
		await this.append(gridId, [{ kind: 'need', entity: id, field: 'created', value }]);
		return id;
	}

	/** Takes a need (in hand), marks it done, or reopens it. */
	async setNeedStatus(gridId: string, needId: string, status: NeedStatus, note = ''): Promise<void> {
		const file = this.registers.get(gridId)?.needs.get(needId);
		await this.append(gridId, [
			{ kind: 'need', entity: needId, field: 'status', value: { status, note }, seen: file?.fields.get('status') }
		]);
	}

	/**
	 * Writes events to a grid's register in one transaction. The outbox rows and the clock are
	 * stored first: if the tab dies right after, the count of unsent changes is never too low.
	 */
	private async append(gridId: string, inputs: readonly Omit<NewEvent<LogEvent>, 'user'>[]): Promise<void> {
		const name = this.registerName(gridId);
		const doc = this.registerDoc(gridId);
		if (!name || !doc || this.accessToGrid(gridId) !== 'write') throw new Error('read_only');
		const events: LogEvent[] = [];
		let clock = this.clock;
		for (const input of inputs) {
			const next = createEvent({ ...input, user: this.user.username }, clock, Date.now(), uuid());
			events.push(next.event);
			clock = next.clock;
		}
		this.clock = clock;
		await this.db.transaction('rw', this.db.outbox, this.db.settings, async () => {
			await this.db.outbox.bulkPut(events.map((e) => ({ eventId: e.id, doc: name, createdAt: Date.now() })));
			await putSetting(this.db, CLOCK_KEY, clock);
		});
		register.change(doc, (w) => events.forEach((e) => w.append(e)), LOCAL_ORIGIN);
		this.project(gridId);
	}

	/** What a form held when it was last typed in and not saved, if anything. */
	loadDraft<T>(key: string): Promise<T | undefined> {
		return this.drafts.load<T>(key);
	}

	/**
	 * Kept on every keystroke, so a killed tab or a flat battery loses nothing typed. Call it in
	 * the input handler itself: its first copy is written before it returns (see drafts.ts).
	 */
	saveDraft(key: string, value: unknown): Promise<void> {
		return this.drafts.save(key, $state.snapshot(value));
	}

	clearDraft(key: string): Promise<void> {
		return this.drafts.clear(key);
	}

	/** A grid's register, once read from the device (nothing may be written to it before). */
	registerDoc(gridId: string) {
		const name = this.registerName(gridId);
		return name && this.engine.isLoaded(name) ? this.engine.replicas.get(name)?.doc : undefined;
	}

	private async loadDisplayNames() {
		const own: [string, string] = [this.user.username, this.user.displayName];
		this.displayNames = new Map([own]);
		if (this.user.role !== 'coordinator') return;
		const kept = await getSetting<[string, string][]>(this.db, DISPLAY_NAMES_KEY);
		if (kept) this.displayNames = new Map([...kept, own]);
		if (!navigator.onLine) return;
		try {
			const names = (await api.users(this.session.token)).map((u): [string, string] => [u.username, u.displayName]);
			await putSetting(this.db, DISPLAY_NAMES_KEY, names);
			this.displayNames = new Map([...names, own]);
		} catch (error) {
			console.warn('display names not refreshed', error);
		}
	}

	private refreshIndex() {
		const name = this.documentName('index');
		const doc = name ? this.engine.replicas.get(name)?.doc : undefined;
		if (doc) this.index = communityIndex.read(doc);
	}

	private scheduleProjection(gridId: string) {
		if (this.projectionTimers.has(gridId)) return;
		this.projectionTimers.set(
			gridId,
			setTimeout(() => {
				this.projectionTimers.delete(gridId);
				if (gridId === '*') {
					this.refreshIndex();
					for (const grid of this.grids) this.project(grid.id);
				} else this.project(gridId);
			}, PROJECTION_DELAY_MS)
		);
	}

	private project(gridId: string) {
		const grid = this.grids.find((g) => g.id === gridId);
		const doc = this.registerDoc(gridId);
		if (!grid || !doc) return;
		const events = register.events(doc);
		this.catchUpClock(events);
		// A building or unit moved to another grid leaves its copy behind in this register: show only
		// what this grid holds now, so nothing is listed twice.
		const grids = this.index.grids;
		const state = scopeToDoors(deriveRegister(register.households(doc), events), gridHoldsDoor(grid, grids));
		const rows = projectGridDoors(grid, this.buildings, state, grids);
		const progress = gridProgress(gridId, rows);
		this.registers = new Map(this.registers).set(gridId, state);
		this.doorsOfGrid = new Map(this.doorsOfGrid).set(gridId, rows);
		this.progress = new Map(this.progress).set(gridId, progress);
		void this.db.gridProgress.put(progress).catch((error) => console.error(error));
		const index = this.index;
		this.refreshResidentsLater(gridId, () => refreshResidents(this.db, grid, index, state));
	}

	/**
	 * Search rows need pinyin, loaded lazily: they are refreshed after the doors, one grid at a
	 * time, each from its latest register only (a grid projected several times meanwhile, as while
	 * its register syncs, is refreshed once).
	 */
	private refreshResidentsLater(gridId: string, refresh: () => Promise<void>) {
		const scheduled = this.residentsToRefresh.size > 0;
		this.residentsToRefresh.set(gridId, refresh);
		if (scheduled) return;
		this.residentsRefresh = this.residentsRefresh.then(async () => {
			// A grid projected again meanwhile is set again, and visited again by this loop.
			for (const [id, next] of this.residentsToRefresh) {
				this.residentsToRefresh.delete(id);
				await next().catch((error) => console.error(error));
			}
		});
	}

	/**
	 * Keeps this device's clock past every event it has received, so a new event never sorts
	 * before one it follows (a phone whose clock runs slow would otherwise stamp "done" before
	 * the need was created).
	 */
	private catchUpClock(events: readonly LogEvent[]) {
		let latest = '';
		for (const e of events) if (e.hlc > latest) latest = e.hlc;
		if (latest > hlc.encode(this.clock)) this.clock = hlc.receive(this.clock, latest, Date.now());
	}

	private async acknowledge(documentName: string, stateVector: Uint8Array) {
		const now = Date.now();
		this.lastSyncAt = now;
		const doc = this.engine.replicas.get(documentName)?.doc;
		const held = unsynced.decodeStateVector(stateVector);
		await this.db.transaction('rw', this.db.outbox, this.db.settings, async () => {
			await this.db.outbox
				.where('doc')
				.equals(documentName)
				.filter((row) => !!doc && register.hasEventWithin(doc, row.eventId, held))
				.delete();
			await putSetting(this.db, acknowledgedKey(documentName), toBase64(stateVector));
			await putSetting(this.db, LAST_SYNC_KEY, now);
		});
	}

	/** Unsent events by kind (visit, household, need), read from the documents they were written to. */
	pendingByKind(): Map<EventKind, number> {
		const counts = new Map<EventKind, number>();
		for (const row of this.outbox) {
			const doc = this.engine.replicas.get(row.doc)?.doc;
			const kind = doc && register.event(doc, row.eventId)?.kind;
			if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
		}
		return counts;
	}

	/**
	 * Everything the server has not acknowledged, of every document this user writes, as the
	 * text of a changes file (see domain/changes-file.ts).
	 */
	async exportUnsynced(): Promise<{ text: string; fileName: string; events: number }> {
		await this.documentsLoaded;
		const documents: changesFile.DocumentChanges[] = [];
		for (const replica of this.engine.replicas.values()) {
			if (replica.access !== 'write') continue;
			const base = (await getSetting<string>(this.db, acknowledgedKey(replica.name))) ?? NOTHING_ACKNOWLEDGED;
			const update = unsynced.unsyncedUpdate(replica.doc, fromBase64(base));
			if (unsynced.isEmptyUpdate(update)) continue;
			documents.push({ name: replica.name, base, update: toBase64(update), events: unsynced.eventIdsIn(update).length });
		}
		const exportedAt = new Date();
		const text = await changesFile.write({
			exportedAt: exportedAt.toISOString(),
			exportedBy: this.user.username,
			device: this.clock.node,
			community: this.user.scope.communityId,
			documents
		});
		return { text, fileName: changesFile.fileName(this.user.username, exportedAt), events: documents.reduce((n, d) => n + d.events, 0) };
	}

	/**
	 * Merges a changes file into this device's documents, all or nothing; they then sync like
	 * changes made here. Throws `ChangesFileError` when the file is refused. Returns how many
	 * events were new here.
	 */
	async importChanges(text: string, bytes: number): Promise<number> {
		await this.documentsLoaded;
		const file = await changesFile.read(text, bytes);
		const writable = new Set([...this.engine.replicas.values()].filter((r) => r.access === 'write').map((r) => r.name));
		changesFile.checkImporter(file, this.user, writable);
		const merges = file.documents.map((d) => {
			const doc = this.engine.replicas.get(d.name)?.doc;
			if (!doc) throw new changesFile.ChangesFileError('no_access');
			let base: Uint8Array, update: Uint8Array, eventIds: string[];
			try {
				base = fromBase64(d.base);
				update = fromBase64(d.update);
				eventIds = unsynced.eventIdsIn(update);
			} catch {
				// The checksum matched, so the exporter wrote bytes Yjs cannot read.
				throw new changesFile.ChangesFileError('corrupted');
			}
			if (!unsynced.holds(doc, base)) throw new changesFile.ChangesFileError('device_behind');
			return { name: d.name, doc, update, eventIds: eventIds.filter((id) => !register.hasEvent(doc, id)) };
		});
		// Counted as unsent before they are written, as with changes made here.
		const rows = merges.flatMap(({ name, eventIds }) => eventIds.map((eventId) => ({ eventId, doc: name, createdAt: Date.now() })));
		await this.db.outbox.bulkPut(rows);
		for (const { doc, update } of merges) unsynced.merge(doc, update, LOCAL_ORIGIN);
		return rows.length;
	}

	private stopWatching() {
		this.stopped = true;
		for (const s of this.subscriptions) s.unsubscribe();
		for (const u of this.unsubscribers) u();
		for (const t of this.projectionTimers.values()) clearTimeout(t);
		this.projectionTimers.clear();
	}
}

/** After the browser paints what is on screen now (or a moment, in a hidden tab, which never paints). */
function afterPaint(): Promise<void> {
	return new Promise((resolve) => {
		requestAnimationFrame(() => setTimeout(resolve));
		setTimeout(resolve, 100);
	});
}

const DEVICE_KEY = 'gridwalk.device';

/** A random id for this browser profile, kept across sign-ins: it names the device in events. */
function deviceId(): string {
	let id = localStorage.getItem(DEVICE_KEY);
	if (!id) {
		id = `d${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
		localStorage.setItem(DEVICE_KEY, id);
	}
	return id;
}
