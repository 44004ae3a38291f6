import { describe, expect, it } from 'vitest';
import { forLog, maskConsole } from '../../server/log';

const ID = '11010519491231002X';

describe('forLog', () => {
	it('masks every ID number in a message, and in format arguments', () => {
		expect(forLog(`login refused for ${ID}`)).toBe('login refused for 110***********002X');
		expect(forLog('user %s, %d tries', ID.toLowerCase(), 3)).toBe('user 110***********002x, 3 tries');
	});

	it('masks values under personal keys in logged objects, however deep', () => {
		const text = forLog('member', { id: 'm1', name: '王秀英', phone: '13800138000', nested: [{ idNumber: 'not-yet-valid-1234' }] });
		expect(text).toContain("id: 'm1'");
		expect(text).toContain("name: '***'");
		expect(text).toContain("phone: '138****8000'");
		expect(text).toContain("idNumber: 'not***********1234'");
		expect(text).not.toContain('王秀英');
		expect(text).not.toContain('13800138000');
	});

	it('keeps an error readable (its message and stack) with its ID numbers and personal properties masked', () => {
		const error = Object.assign(new Error(`no user ${ID}`, { cause: { token: 'secret-token-value' } }), { password: 'hunter22' });
		const text = forLog('[http] request failed', error);
		expect(text).toContain('Error: no user 110***********002X');
		expect(text).toMatch(/at .*server-log\.test\.ts/);
		expect(text).not.toContain(ID);
		expect(text).not.toContain('hunter22');
		expect(text).not.toContain('secret-token-value');
	});

	it('copes with an object that holds itself', () => {
		const loop: Record<string, unknown> = { idNumber: ID };
		loop.self = loop;
		expect(forLog(loop)).not.toContain(ID);
	});
});

describe('maskConsole', () => {
	it('masks whatever any module writes through console', () => {
		const lines: string[] = [];
		const target = { log: (s: string) => lines.push(s), info: () => {}, warn: () => {}, error: (s: string) => lines.push(s), debug: () => {}, trace: () => {} } as unknown as Console;
		maskConsole(target);
		target.log('hocuspocus: document %s', `c1/${ID}`);
		target.error(new Error(`boom ${ID}`));
		expect(lines[0]).toBe('hocuspocus: document c1/110***********002X');
		expect(lines[1]).toContain('Error: boom 110***********002X');
		expect(lines.join('\n')).not.toContain(ID);
	});
});
