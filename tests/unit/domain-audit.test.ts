import { describe, expect, it } from 'vitest';
import { auditTrail } from '$lib/domain/audit';
import { visit } from '../fixtures/events';
import { householdEdit, needCreated, needEvent, validId } from '../fixtures/household';

const T = 1_764_000_000_000;
const ID = validId('19491231', 'female');

describe('auditTrail', () => {
	const events = [
		visit({ id: 'v1', outcome: 'nobody_home', user: 'li', wall: T }),
		visit({ id: 'v2', outcome: 'done', note: '已核实', user: 'li', wall: T + 2_000, supersedes: ['v1'] }),
		householdEdit({ id: 'p1', field: 'phone', value: '13800138000', user: 'li', wall: T + 1_000 }),
		householdEdit({ id: 'p2', field: 'phone', value: '13900139000', user: 'wang', wall: T + 3_000, supersedes: ['p1'] }),
		needEvent({ id: 'n1', field: 'created', value: needCreated(), user: 'li', wall: T + 4_000 }),
		needEvent({ id: 'n2', field: 'status', value: { status: 'in_hand', note: '' }, user: 'zhao', wall: T + 5_000, supersedes: [] })
	];

	it('lists every event newest first, with who, when and what', () => {
		const trail = auditTrail(events);
		expect(trail.map((e) => [e.id, e.kind, e.field, e.user, e.at])).toEqual([
			['n2', 'need', 'status', 'zhao', T + 5_000],
			['n1', 'need', 'created', 'li', T + 4_000],
			['p2', 'household', 'phone', 'wang', T + 3_000],
			['v2', 'visit', '', 'li', T + 2_000],
			['p1', 'household', 'phone', 'li', T + 1_000],
			['v1', 'visit', '', 'li', T]
		]);
	});

	it('gives the value replaced and the new one', () => {
		const trail = new Map(auditTrail(events).map((e) => [e.id, e]));
		expect(trail.get('p2')).toMatchObject({ before: ['13800138000'], after: '13900139000' });
		expect(trail.get('p1')).toMatchObject({ before: [], after: '13800138000' });
		expect(trail.get('v2')).toMatchObject({
			before: [{ outcome: 'nobody_home', note: '' }],
			after: { outcome: 'done', note: '已核实' }
		});
	});

	it('lists both sides a change settled, oldest first', () => {
		const trail = auditTrail([
			householdEdit({ id: 'a', field: 'notes', value: '甲', wall: T }),
			householdEdit({ id: 'b', field: 'notes', value: '乙', wall: T + 1 }),
			householdEdit({ id: 'c', field: 'notes', value: '乙', wall: T + 2, supersedes: ['b', 'a'] })
		]);
		expect(trail[0]).toMatchObject({ id: 'c', before: ['甲', '乙'], after: '乙' });
	});

	it('is the same whatever order the events come in, duplicates included', () => {
		expect(auditTrail([...events].reverse().concat(events))).toEqual(auditTrail(events));
	});

	it('never shows an ID number in full: the field, and one typed into a note', () => {
		const trail = auditTrail([
			householdEdit({ id: 'i1', field: 'member.m1.idNumber', value: ID, wall: T }),
			householdEdit({ id: 'i2', field: 'member.m1.idNumber', value: validId('19500101', 'male'), wall: T + 1, supersedes: ['i1'] }),
			householdEdit({ id: 'i3', field: 'notes', value: `户主身份证 ${ID}，已核对`, wall: T + 2 }),
			visit({ id: 'v', note: `核对了${ID}`, wall: T + 3 })
		]);
		const text = JSON.stringify(trail);
		expect(text).not.toMatch(/\d{17}[\dX]/);
		expect(trail.find((e) => e.id === 'i1')?.after).toBe(`${ID.slice(0, 3)}***********${ID.slice(-4)}`);
		expect(trail.find((e) => e.id === 'i2')?.before).toEqual([`${ID.slice(0, 3)}***********${ID.slice(-4)}`]);
		expect(trail.find((e) => e.id === 'i3')?.after).toBe(`户主身份证 ${ID.slice(0, 3)}***********${ID.slice(-4)}，已核对`);
	});
});
