/**
 * Communities and the grid ids each one has, so `/api/me` can list a coordinator's register
 * documents without opening the index document. The index document stays the source of truth:
 * the seed writes both, and the sync server copies the grid ids whenever an index document is
 * stored (see sync.ts).
 */
import type { Db } from './db';

export type Communities = ReturnType<typeof createCommunities>;

export function createCommunities(db: Db) {
	const upsertCommunity = db.prepare<[string, string]>(
		'INSERT INTO communities (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name'
	);
	const gridsOf = db.prepare<[string], { grid_id: string }>(
		'SELECT grid_id FROM grids WHERE community_id = ? ORDER BY grid_id'
	);
	const deleteGrids = db.prepare<[string]>('DELETE FROM grids WHERE community_id = ?');
	const insertGrid = db.prepare<[string, string]>('INSERT INTO grids (community_id, grid_id) VALUES (?, ?)');
	const anyCommunity = db.prepare('SELECT 1 FROM communities LIMIT 1');

	const setGridIds = db.transaction((communityId: string, gridIds: readonly string[]) => {
		deleteGrids.run(communityId);
		for (const gridId of new Set(gridIds)) insertGrid.run(communityId, gridId);
	});

	return {
		isEmpty(): boolean {
			return anyCommunity.get() === undefined;
		},
		put(community: { id: string; name: string }): void {
			upsertCommunity.run(community.id, community.name);
		},
		gridIds(communityId: string): string[] {
			return gridsOf.all(communityId).map((row) => row.grid_id);
		},
		/** Replaces the community's grid list. */
		setGridIds(communityId: string, gridIds: readonly string[]): void {
			setGridIds(communityId, gridIds);
		}
	};
}
