/**
 * Short notices at the bottom of the screen (saved, failed…), and the one place errors become
 * words a user can read.
 */
import { ApiError } from '$lib/sync/api';
import { errorMessage } from '$lib/i18n/labels';

export interface Notice {
	id: number;
	text: string;
	kind: 'info' | 'error';
}

const SHOW_MS = 4_000;

class Notices {
	list = $state<Notice[]>([]);
	private next = 1;

	show(text: string, kind: Notice['kind'] = 'info'): void {
		const notice = { id: this.next++, text, kind };
		this.list = [...this.list, notice];
		setTimeout(() => this.dismiss(notice.id), kind === 'error' ? SHOW_MS * 2 : SHOW_MS);
	}

	dismiss(id: number): void {
		this.list = this.list.filter((n) => n.id !== id);
	}
}

export const notices = new Notices();

/** Logs the error and tells the user, in their language, what failed. */
export function handleError(error: unknown, message: (detail: string) => string = (d) => errorMessage('unexpected', d)): void {
	console.error(error);
	if (error instanceof ApiError) notices.show(errorMessage(error.code, error.message), 'error');
	else notices.show(message(error instanceof Error ? error.message : String(error)), 'error');
}
