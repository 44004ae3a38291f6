/**
 * The signed-in session on this device. It survives reloads and offline restarts (it is kept in
 * IndexedDB), and signing out wipes every piece of this account's data from the device.
 */
import { parseDocumentName, type DocumentGrant } from '../domain/access';
import { LocalDb, type SessionRow } from '../data/local-db';
import { wipeQuickDrafts } from '../data/drafts';
import { prepareNameOrder } from '../data/community-index-doc';
import * as api from '../sync/api';
import { Workspace } from './workspace.svelte';

export type SessionStatus = 'loading' | 'signed_out' | 'signed_in';

function syncUrl(): string {
	const { protocol, host } = window.location;
	return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/sync`;
}

function withRefs(documents: readonly Omit<DocumentGrant, 'ref'>[]): DocumentGrant[] {
	return documents.flatMap((d) => {
		const ref = parseDocumentName(d.name);
		return ref ? [{ name: d.name, access: d.access, ref }] : [];
	});
}

export class Session {
	status = $state<SessionStatus>('loading');
	workspace = $state.raw<Workspace | null>(null);
	private db = new LocalDb();
	private restoring?: Promise<void>;

	/** Resumes the session stored on this device, if any. Safe to call more than once. */
	restore(): Promise<void> {
		this.restoring ??= (async () => {
			const reading = this.db.session.get('current');
			setTimeout(prepareNameOrder);
			const row = await reading;
			if (row) await this.open(row);
			else this.status = 'signed_out';
		})();
		return this.restoring;
	}

	async login(username: string, password: string): Promise<void> {
		const { token } = await api.login(username.trim(), password);
		const { user, documents } = await api.me(token);
		const row: SessionRow = { key: 'current', token, user, documents: withRefs(documents), signedInAt: Date.now() };
		await this.db.session.put(row);
		await this.open(row);
	}

	/** Wipes this account's data from the device. Callers confirm first when anything is unsynced. */
	async logout(): Promise<void> {
		const workspace = this.workspace;
		this.workspace = null;
		this.status = 'signed_out';
		if (workspace) await workspace.wipe();
		wipeQuickDrafts();
		await this.db.delete();
		this.db = new LocalDb();
		this.restoring = undefined;
	}

	private async open(row: SessionRow) {
		const workspace = new Workspace(this.db, row, syncUrl());
		this.workspace = workspace;
		workspace.onAccessChanged = () => void this.refreshGrants(row);
		this.status = 'signed_in';
		void workspace.start().then(() => this.refreshGrants(row));
		// The first screen waits for the index and the progress kept on the device (so it is drawn
		// once, whole), never for the registers: those are read after, their screens say so meanwhile.
		await workspace.overview;
	}

	/**
	 * When online, asks the server again which documents this user may open: a coordinator may
	 * have moved them to another grid while the session sat on the device. The data stays in
	 * IndexedDB, so reopening the workspace loses nothing.
	 */
	private async refreshGrants(row: SessionRow) {
		if (!navigator.onLine) return;
		try {
			const { user, documents } = await api.me(row.token);
			const grants = withRefs(documents);
			const same = JSON.stringify(grants) === JSON.stringify(row.documents) && JSON.stringify(user) === JSON.stringify(row.user);
			if (same || this.workspace?.user.username !== user.username) return;
			const updated = { ...row, user, documents: grants };
			await this.db.session.put(updated);
			await this.workspace?.close();
			await this.open(updated);
		} catch (error) {
			// An expired token is shown by the workspace when sync refuses it; offline is normal.
			if (!(error instanceof api.ApiError)) console.error(error);
		}
	}
}

export const session = new Session();
