import { m } from '$lib/paraglide/messages';
import { label } from '$lib/i18n/labels';
import { parseFieldPath, type Household } from '$lib/domain/household';

const memberFieldLabel: Record<string, () => string> = {
	name: m.member_name,
	relation: m.member_relation,
	sex: m.member_sex,
	birth: m.member_birth,
	phone: m.member_phone,
	idNumber: m.member_id_number,
	residence: m.member_residence,
	removed: m.field_removed
};

const householdFieldLabel: Record<string, () => string> = {
	occupancy: m.field_occupancy,
	phone: m.field_phone,
	passCards: m.field_pass_cards,
	notes: m.field_notes
};

/** "联系电话", "王秀英的手机号", "特殊情况：卧床": what a field path means to a person. */
export function fieldLabel(path: string, household: Household): string {
	const parsed = parseFieldPath(path);
	if (!parsed) return path;
	const leaf =
		'flag' in parsed
			? m.field_flag({ flag: label('flag', parsed.flag) })
			: (parsed.scope === 'household' ? householdFieldLabel : memberFieldLabel)[parsed.field]();
	if (parsed.scope === 'household') return leaf;
	const name = household.members.find((x) => x.id === parsed.memberId)?.name ?? '';
	return m.field_member({ name, field: leaf });
}

/** A field's value in words; ID numbers stay masked outside the member's own form. */
export function valueLabel(path: string, value: unknown, mask: (id: string) => string): string {
	const parsed = parseFieldPath(path);
	if (value === '' || value === undefined || value === null) return m.conflict_empty_value();
	if (typeof value === 'boolean') return value ? '✓' : '✕';
	if (!parsed || 'flag' in parsed) return String(value);
	const field = parsed.field;
	if (field === 'occupancy') return label('occupancy', String(value));
	if (field === 'relation' || field === 'sex' || field === 'residence') return label(field, String(value));
	if (field === 'idNumber') return mask(String(value));
	return String(value);
}
