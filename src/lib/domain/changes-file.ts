/**
 * The file a worker exports as a last resort when changes cannot reach the server (a broken
 * phone, no signal for days): per sync document, the Yjs update holding what the server has
 * not acknowledged, base64-encoded, with a sha256 checksum over everything else. Another device
 * of the same user, or a coordinator of the same community, imports it; the changes merge into
 * its documents and sync from there (the server accepts others' events only from coordinators).
 *
 * Reading judges in this order, so each refusal names the first thing wrong: too large, not a
 * gridwalk file, an unknown version, corrupted (shape or checksum), then whose file it is.
 */
import { z } from 'zod';
import type { User } from './access';

export const FORMAT = 'gridwalk-changes';
export const VERSION = 1;
/** A register's full state is a few hundred KB; this leaves room for a coordinator's community. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const documentChangesSchema = z.strictObject({
	/** Sync document name, e.g. `c1/register/g01`. */
	name: z.string().min(1).max(200),
	/**
	 * The state vector the server had acknowledged, base64: the update builds on it, so only a
	 * device holding at least that much of the document can take it in.
	 */
	base: base64,
	/** `Y.encodeStateAsUpdate(doc, base)`, base64. */
	update: base64,
	/** How many events the update holds that the server lacks, for the importer's summary. */
	events: z.number().int().nonnegative()
});

export const changesFileSchema = z.strictObject({
	format: z.literal(FORMAT),
	version: z.literal(VERSION),
	exportedAt: z.iso.datetime(),
	/** Username of who exported. */
	exportedBy: z.string().min(1),
	device: z.string().min(1),
	community: z.string().min(1),
	documents: z.array(documentChangesSchema),
	/** sha256, hex, of `checksumInput` of the other fields. */
	checksum: z.string().regex(/^[0-9a-f]{64}$/)
});

export type ChangesFile = z.output<typeof changesFileSchema>;
export type DocumentChanges = z.output<typeof documentChangesSchema>;
export type ChangesFileContent = Omit<ChangesFile, 'format' | 'version' | 'checksum'>;

export type ChangesFileRefusal =
	| 'too_large'
	| 'not_gridwalk'
	| 'unknown_version'
	| 'corrupted'
	| 'other_community'
	| 'other_user'
	| 'no_access'
	/** The importing device lacks part of what the file builds on: it must sync first. */
	| 'device_behind';

export class ChangesFileError extends Error {
	constructor(readonly reason: ChangesFileRefusal) {
		super(`changes file refused: ${reason}`);
	}
}

/** The exact text the checksum covers: every field but the checksum, in a fixed order. */
function checksumInput(file: Omit<ChangesFile, 'checksum'>): string {
	return JSON.stringify([
		file.format,
		file.version,
		file.exportedAt,
		file.exportedBy,
		file.device,
		file.community,
		file.documents.map((d) => [d.name, d.base, d.update, d.events])
	]);
}

async function sha256Hex(text: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The file's text, ready to save. */
export async function write(content: ChangesFileContent): Promise<string> {
	const unsigned = { format: FORMAT, version: VERSION, ...content } as const;
	const file: ChangesFile = changesFileSchema.parse({ ...unsigned, checksum: await sha256Hex(checksumInput(unsigned)) });
	return JSON.stringify(file, null, 1);
}

/** `gridwalk-changes-worker1-2026-12-02T0941.json`: who and when, safe on every file system. */
export function fileName(exportedBy: string, exportedAt: Date): string {
	const stamp = exportedAt.toISOString().slice(0, 16).replace(':', '');
	return `${FORMAT}-${exportedBy.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}.json`;
}

/**
 * Parses a file's text and checks its integrity; throws `ChangesFileError`. `bytes` is the
 * file's size, judged before its text is read.
 */
export async function read(text: string, bytes = new TextEncoder().encode(text).byteLength): Promise<ChangesFile> {
	if (bytes > MAX_FILE_BYTES) throw new ChangesFileError('too_large');
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new ChangesFileError('not_gridwalk');
	}
	if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== FORMAT)
		throw new ChangesFileError('not_gridwalk');
	if ((json as { version?: unknown }).version !== VERSION) throw new ChangesFileError('unknown_version');
	const parsed = changesFileSchema.safeParse(json);
	if (!parsed.success) throw new ChangesFileError('corrupted');
	if ((await sha256Hex(checksumInput(parsed.data))) !== parsed.data.checksum) throw new ChangesFileError('corrupted');
	return parsed.data;
}

/**
 * Who may import a file: the user who exported it, or a coordinator of its community (the
 * server takes others' events only from coordinators), into documents they may write.
 */
export function checkImporter(file: ChangesFile, user: User, writable: ReadonlySet<string>): void {
	if (file.community !== user.scope.communityId) throw new ChangesFileError('other_community');
	if (file.exportedBy !== user.username && user.role !== 'coordinator') throw new ChangesFileError('other_user');
	if (file.documents.some((d) => !writable.has(d.name))) throw new ChangesFileError('no_access');
}
