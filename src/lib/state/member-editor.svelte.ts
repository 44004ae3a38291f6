/**
 * The member form: what is typed, its issues as it is typed, the draft kept on the device, and
 * saving as field events (only the fields that changed, so a concurrent edit of another field
 * by someone else is never overwritten).
 */
import { flags as allFlags, type Flag, type Member } from '../domain/household';
import { emptyMemberForm, hasIssues, memberForm, memberIssues, memberValues, type MemberForm } from '../domain/validation';
import type { FieldChange, Workspace } from './workspace.svelte';

interface Draft {
	form: MemberForm;
	flags: Flag[];
}

export class MemberEditor {
	form = $state<MemberForm>({ ...emptyMemberForm });
	flags = $state<Flag[]>([]);
	/** Issues are shown for fields already left, and for all once saving was tried. */
	touched = $state<Partial<Record<keyof MemberForm, true>>>({});
	submitted = $state(false);
	restored = $state(false);
	saving = $state(false);
	issues = $derived(memberIssues(this.form, new Date()));

	private readonly draftKey: string;

	constructor(
		private readonly workspace: Workspace,
		readonly gridId: string,
		readonly householdId: string,
		readonly member: Member | null
	) {
		this.draftKey = `member:${householdId}:${member?.id ?? 'new'}`;
		if (member) {
			this.form = memberForm(member);
			this.flags = [...member.flags];
		}
	}

	/** Brings back an unsaved draft, if the tab was closed or killed while typing. */
	async restore(): Promise<void> {
		const draft = await this.workspace.loadDraft<Draft>(this.draftKey);
		if (!draft) return;
		this.form = { ...emptyMemberForm, ...draft.form };
		this.flags = draft.flags ?? [];
		this.restored = true;
	}

	shownIssue(field: keyof MemberForm) {
		return this.submitted || this.touched[field] ? this.issues[field] : undefined;
	}

	set(field: keyof MemberForm, value: string): void {
		this.form[field] = value;
		void this.keepDraft();
	}

	toggleFlag(flag: Flag): void {
		this.flags = this.flags.includes(flag) ? this.flags.filter((f) => f !== flag) : allFlags.filter((f) => f === flag || this.flags.includes(f));
		void this.keepDraft();
	}

	leave(field: keyof MemberForm): void {
		this.touched[field] = true;
	}

	/** Saves and returns true, or shows every issue and returns false. */
	async save(): Promise<boolean> {
		this.submitted = true;
		if (hasIssues(this.issues)) return false;
		this.saving = true;
		try {
			const values = { ...memberValues(this.form) };
			if (this.member) {
				const changes: FieldChange[] = Object.entries(values)
					.filter(([field, value]) => (this.member as Record<string, unknown>)[field] !== value)
					.map(([field, value]) => ({ field: `member.${this.member!.id}.${field}`, value: value ?? '' }));
				for (const flag of allFlags) {
					const on = this.flags.includes(flag);
					if (on !== this.member.flags.includes(flag)) changes.push({ field: `member.${this.member.id}.flag.${flag}`, value: on });
				}
				if (changes.length > 0) await this.workspace.editHousehold(this.gridId, this.householdId, changes);
			} else {
				const flagValues = Object.fromEntries(this.flags.map((f) => [`flag.${f}`, true]));
				await this.workspace.addMember(this.gridId, this.householdId, { ...values, ...flagValues });
			}
			await this.workspace.clearDraft(this.draftKey);
			return true;
		} finally {
			this.saving = false;
		}
	}

	async remove(): Promise<void> {
		if (!this.member) return;
		await this.workspace.editHousehold(this.gridId, this.householdId, [{ field: `member.${this.member.id}.removed`, value: true }]);
		await this.workspace.clearDraft(this.draftKey);
	}

	async discardDraft(): Promise<void> {
		await this.workspace.clearDraft(this.draftKey);
		this.form = this.member ? memberForm(this.member) : { ...emptyMemberForm };
		this.flags = this.member ? [...this.member.flags] : [];
		this.restored = false;
	}

	private async keepDraft() {
		await this.workspace.saveDraft(this.draftKey, { form: this.form, flags: this.flags });
	}
}
