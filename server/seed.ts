/**
 * The demo community, written once into an empty database: the index document, one register
 * document per grid (through the same data modules the app uses), the grid directory, and the
 * demo users, all with password `gridwalk`.
 *
 * Documents are written as snapshots at position 0. Seeding happens only when the database
 * has no community and no document: a server document is never re-created from plain data
 * (that would duplicate the history offline clients hold).
 */
import * as Y from 'yjs';
import type { User } from '../src/lib/domain/access';
import { documentName } from '../src/lib/domain/access';
import * as communityIndex from '../src/lib/data/community-index-doc';
import * as register from '../src/lib/data/register-doc';
import type { Communities } from './communities';
import { generateCommunity } from './demo/demo-community';
import type { DocumentStore } from './store/document-store';
import type { Users } from './users';

export const DEMO_PASSWORD = 'gridwalk';
export const DEMO_COMMUNITY_ID = 'c1';
export const MAX_DEMO_HOUSEHOLDS = 50_000;
const SEED_ORIGIN = 'seed';

export const demoUsers: User[] = [
	{ username: 'coordinator', displayName: '王书记', role: 'coordinator', scope: { communityId: 'c1', gridIds: [] }, disabled: false },
	{ username: 'worker1', displayName: '李网格员', role: 'grid_worker', scope: { communityId: 'c1', gridIds: ['g01'] }, disabled: false },
	{ username: 'worker2', displayName: '张网格员', role: 'grid_worker', scope: { communityId: 'c1', gridIds: ['g02'] }, disabled: false },
	{ username: 'tester1', displayName: '赵检测员', role: 'tester', scope: { communityId: 'c1', gridIds: ['g01', 'g02'] }, disabled: false },
	{ username: 'volunteer1', displayName: '孙志愿者', role: 'volunteer', scope: { communityId: 'c1', gridIds: ['g01'] }, disabled: false }
];

export interface SeedStores {
	store: DocumentStore;
	users: Users;
	communities: Communities;
}

/** Whether the database holds nothing a seed could overwrite or duplicate. */
export async function isPristine({ store, users, communities }: SeedStores): Promise<boolean> {
	return communities.isEmpty() && users.count() === 0 && (await store.isEmpty());
}

/** Writes the demo community and users. Call only on a pristine database. */
export async function seedDemo(stores: SeedStores, options: { households: number }): Promise<void> {
	const households = Math.min(Math.max(1, Math.floor(options.households)), MAX_DEMO_HOUSEHOLDS);
	const demo = generateCommunity({ households, communityId: DEMO_COMMUNITY_ID });
	const workersByGrid = new Map<string, string[]>();
	for (const user of demoUsers) {
		if (user.role !== 'grid_worker') continue;
		for (const gridId of user.scope.gridIds) workersByGrid.set(gridId, [...(workersByGrid.get(gridId) ?? []), user.username]);
	}

	for (const grid of demo.grids) {
		const doc = new Y.Doc();
		register.change(
			doc,
			(writer) => {
				for (const household of demo.households.get(grid.id) ?? []) writer.putHousehold(household);
			},
			SEED_ORIGIN
		);
		await stores.store.compact(documentName({ kind: 'register', communityId: demo.community.id, gridId: grid.id }), Y.encodeStateAsUpdate(doc), []);
		doc.destroy();
	}

	// The index last: a seed cut short leaves no index, and the next start refuses to seed again.
	const index = new Y.Doc();
	communityIndex.change(
		index,
		(writer) => {
			writer.setCommunity(demo.community);
			for (const compound of demo.compounds) writer.putCompound(compound);
			for (const building of demo.buildings) writer.putBuilding(building);
			for (const grid of demo.grids) writer.putGrid({ ...grid, workers: workersByGrid.get(grid.id) ?? [] });
		},
		SEED_ORIGIN
	);
	await stores.store.compact(documentName({ kind: 'index', communityId: demo.community.id }), Y.encodeStateAsUpdate(index), []);
	index.destroy();

	stores.communities.put(demo.community);
	stores.communities.setGridIds(
		demo.community.id,
		demo.grids.map((grid) => grid.id)
	);
	for (const user of demoUsers) await stores.users.create(user, DEMO_PASSWORD);
}
