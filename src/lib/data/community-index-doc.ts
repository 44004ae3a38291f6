/**
 * The community index document: the community, its compounds, buildings and grids.
 * One writer (coordinators), read by everyone in the community. Only this module touches its Yjs maps.
 */
import * as Y from 'yjs';
import {
	buildingSchema,
	communitySchema,
	compoundSchema,
	gridSchema,
	type Building,
	type Community,
	type Compound,
	type Grid
} from '../domain/places';
import { parseEntries } from './y-values';
import type { DocumentShape } from './document-shape';

export { subscribe } from './y-values';

export interface CommunityIndex {
	community: Community | null;
	compounds: Compound[];
	buildings: Building[];
	grids: Grid[];
}

export interface IndexWriter {
	setCommunity(community: Community): void;
	putCompound(compound: Compound): void;
	putBuilding(building: Building): void;
	putGrid(grid: Grid): void;
}

/** What may be stored in the index, for the server's check of incoming changes. */
export const shape: DocumentShape = {
	meta: { schema: communitySchema, keyOf: () => 'community', writers: ['coordinator'] },
	compounds: { schema: compoundSchema, keyOf: (compound) => compound.id, writers: ['coordinator'] },
	buildings: { schema: buildingSchema, keyOf: (building) => building.id, writers: ['coordinator'] },
	grids: { schema: gridSchema, keyOf: (grid) => grid.id, writers: ['coordinator'] }
};

const maps = (doc: Y.Doc) => ({
	meta: doc.getMap<unknown>('meta'),
	compounds: doc.getMap<unknown>('compounds'),
	buildings: doc.getMap<unknown>('buildings'),
	grids: doc.getMap<unknown>('grids')
});

/**
 * By name, then by id: a map's iteration order differs between replicas (it follows arrival),
 * so two entries with one name must not keep it, or replicas would list them differently.
 */
const byName = (a: { id: string; name: string }, b: { id: string; name: string }) =>
	nameOrder().compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * One collator for every comparison (`localeCompare` with options builds one per call), made on
 * first use: making it loads the pinyin ordering, ~30 ms of a start at 4× CPU.
 */
let collator: Intl.Collator | undefined;
const nameOrder = () => (collator ??= new Intl.Collator('zh-CN', { numeric: true }));

/** Makes the collator now: a start calls it while IndexedDB opens, so the first sort does not. */
export const prepareNameOrder = (): void => void nameOrder();

export function read(doc: Y.Doc): CommunityIndex {
	const m = maps(doc);
	const community = communitySchema.safeParse(m.meta.get('community'));
	return {
		community: community.success ? community.data : null,
		compounds: parseEntries(m.compounds, compoundSchema).sort(byName),
		buildings: parseEntries(m.buildings, buildingSchema).sort(byName),
		grids: parseEntries(m.grids, gridSchema).sort(byName)
	};
}

export function change(doc: Y.Doc, fn: (writer: IndexWriter) => void, origin?: unknown): void {
	const m = maps(doc);
	doc.transact(() => {
		fn({
			setCommunity: (c) => m.meta.set('community', communitySchema.parse(c)),
			putCompound: (c) => m.compounds.set(c.id, compoundSchema.parse(c)),
			putBuilding: (b) => m.buildings.set(b.id, buildingSchema.parse(b)),
			putGrid: (g) => m.grids.set(g.id, gridSchema.parse(g))
		});
	}, origin);
}

