import { describe, expect, test } from 'vitest';
import * as changesFile from '$lib/domain/changes-file';
import { ChangesFileError, type ChangesFileRefusal } from '$lib/domain/changes-file';
import { fromBase64, toBase64 } from '$lib/domain/base64';
import { userSchema, type Role, type User } from '$lib/domain/access';

const content: changesFile.ChangesFileContent = {
	exportedAt: '2026-12-02T09:41:00.000Z',
	exportedBy: 'worker1',
	device: 'd0123456789abcdef',
	community: 'c1',
	documents: [{ name: 'c1/register/g01', base: toBase64(new Uint8Array([1, 9, 4])), update: toBase64(new Uint8Array([1, 2, 3, 250, 0, 7])), events: 2 }]
};

function user(username: string, role: Role, communityId = 'c1'): User {
	return userSchema.parse({ username, displayName: username, role, scope: { communityId, gridIds: role === 'coordinator' ? [] : ['g01'] } });
}

async function refusal(text: string, bytes?: number): Promise<ChangesFileRefusal | 'accepted'> {
	try {
		await changesFile.read(text, bytes);
		return 'accepted';
	} catch (error) {
		if (error instanceof ChangesFileError) return error.reason;
		throw error;
	}
}

function refusalOfImporter(file: changesFile.ChangesFile, importer: User, writable = ['c1/register/g01']) {
	try {
		changesFile.checkImporter(file, importer, new Set(writable));
		return 'accepted';
	} catch (error) {
		if (error instanceof ChangesFileError) return error.reason;
		throw error;
	}
}

describe('changes file', () => {
	test('what is written reads back the same', async () => {
		const file = await changesFile.read(await changesFile.write(content));
		expect(file).toMatchObject({ format: 'gridwalk-changes', version: 1, ...content });
		expect(fromBase64(file.documents[0].update)).toEqual(new Uint8Array([1, 2, 3, 250, 0, 7]));
	});

	test('base64 agrees with Node’s encoder on every byte value, also beyond one call’s slice', () => {
		const bytes = new Uint8Array(70_000);
		for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
		const text = toBase64(bytes);
		expect(text).toBe(Buffer.from(bytes).toString('base64'));
		expect(Buffer.from(fromBase64(text)).equals(Buffer.from(bytes))).toBe(true);
	});

	test('refuses a file that is not one of ours', async () => {
		expect(await refusal('not json at all')).toBe('not_gridwalk');
		expect(await refusal('{"format":"something-else","version":1}')).toBe('not_gridwalk');
		expect(await refusal('[1,2,3]')).toBe('not_gridwalk');
		expect(await refusal('null')).toBe('not_gridwalk');
	});

	test('refuses a file that is too large before reading it', async () => {
		expect(await refusal(await changesFile.write(content), changesFile.MAX_FILE_BYTES + 1)).toBe('too_large');
	});

	test('refuses a version it does not know', async () => {
		const text = (await changesFile.write(content)).replace('"version": 1', '"version": 2');
		expect(await refusal(text)).toBe('unknown_version');
	});

	test('refuses a file changed after export, whatever was changed', async () => {
		const text = await changesFile.write(content);
		const file = JSON.parse(text) as changesFile.ChangesFile;
		const tampered = [
			{ ...file, exportedBy: 'worker2' },
			{ ...file, community: 'c2' },
			{ ...file, documents: [{ ...file.documents[0], update: toBase64(new Uint8Array([1, 2, 3, 250, 0, 8])) }] },
			{ ...file, documents: [{ ...file.documents[0], name: 'c1/register/g02' }] },
			{ ...file, documents: [{ ...file.documents[0], base: toBase64(new Uint8Array([1, 9, 5])) }] },
			{ ...file, documents: [] },
			{ ...file, checksum: '0'.repeat(64) }
		];
		for (const t of tampered) expect(await refusal(JSON.stringify(t))).toBe('corrupted');
		// A truncated file, and fields of the wrong shape.
		expect(await refusal(text.slice(0, text.length - 10))).toBe('not_gridwalk');
		expect(await refusal(JSON.stringify({ ...file, documents: [{ ...file.documents[0], update: '%%%' }] }))).toBe('corrupted');
		expect(await refusal(JSON.stringify({ ...file, extra: 1 }))).toBe('corrupted');
	});

	test('the user who exported, or a coordinator of the community, may import it into documents they write', async () => {
		const file = await changesFile.read(await changesFile.write(content));
		expect(refusalOfImporter(file, user('worker1', 'grid_worker'))).toBe('accepted');
		expect(refusalOfImporter(file, user('coordinator', 'coordinator'))).toBe('accepted');
		expect(refusalOfImporter(file, user('worker2', 'grid_worker'))).toBe('other_user');
		expect(refusalOfImporter(file, user('tester1', 'tester'))).toBe('other_user');
		expect(refusalOfImporter(file, user('coordinator', 'coordinator', 'c2'))).toBe('other_community');
		expect(refusalOfImporter(file, user('worker1', 'grid_worker'), [])).toBe('no_access');
	});

	test('the file name says who and when', () => {
		expect(changesFile.fileName('worker1', new Date('2026-12-02T09:41:30Z'))).toBe('gridwalk-changes-worker1-2026-12-02T0941.json');
	});
});
