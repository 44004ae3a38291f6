/**
 * Both languages are complete, and the message compiler really finds them: a wrong plugin or
 * path in project.inlang builds "successfully" with no messages at all.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@inlang/paraglide-js';

const load = (locale: string) => {
	const { $schema: _, ...messages } = JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8'));
	return messages as Record<string, string>;
};

describe('messages', () => {
	const zh = load('zh-CN');
	const en = load('en');

	it('has the same keys in Simplified Chinese and English, none empty', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
		for (const [key, text] of [...Object.entries(zh), ...Object.entries(en)]) expect(text.trim(), key).not.toBe('');
	});

	it('uses the same placeholders in both languages', () => {
		const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(zh)) expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
	});

	it('compiles every message, with Chinese as the default', async () => {
		const outdir = mkdtempSync(join(tmpdir(), 'gridwalk-i18n-'));
		try {
			await compile({ project: './project.inlang', outdir, strategy: ['baseLocale'] });
			const compiled = readdirSync(join(outdir, 'messages'));
			expect(Object.keys(zh).filter((key) => !compiled.includes(`${key}.js`))).toEqual([]);
			const { m } = await import(join(outdir, 'messages.js'));
			expect(m.app_name()).toBe('网格通');
			expect(m.app_name({}, { locale: 'en' })).toBe('Gridwalk');
			expect(m.sync_pending({ count: 12 })).toBe('12 条待同步');
		} finally {
			rmSync(outdir, { recursive: true, force: true });
		}
	}, 30_000);
});

describe('labels of domain values', () => {
	it('has a message for every value of every labelled enum', async () => {
		const household = await import('$lib/domain/household');
		const needs = await import('$lib/domain/needs');
		const zh = load('zh-CN');
		const expected = [
			...household.relations.map((v) => `relation_${v}`),
			...household.sexes.map((v) => `sex_${v}`),
			...household.residenceStatuses.map((v) => `residence_${v}`),
			...household.flags.map((v) => `flag_${v}`),
			...household.flags.map((v) => `flag_short_${v}`),
			...household.occupancies.map((v) => `occupancy_${v}`),
			...needs.needKinds.map((v) => `need_kind_${v}`),
			...needs.urgencies.map((v) => `urgency_${v}`),
			...needs.needStatuses.map((v) => `need_status_${v}`),
			...[
				'required',
				'too_long',
				'id_format',
				'id_birth_date',
				'id_checksum',
				'id_birth_mismatch',
				'id_sex_mismatch',
				'phone_format',
				'birth_format',
				'birth_future'
			].map((v) => `issue_${v}`)
		];
		expect(expected.filter((key) => !(key in zh))).toEqual([]);
	});
});
