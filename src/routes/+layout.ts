import { redirect } from '@sveltejs/kit';
import { session } from '$lib/state/session.svelte';

// A static single-page app: everything renders in the browser, from data on the device.
export const ssr = false;
export const prerender = false;

export async function load({ url }) {
	await session.restore();
	const onLogin = url.pathname === '/login';
	if (session.status === 'signed_out' && !onLogin) redirect(307, '/login');
	if (session.status === 'signed_in' && onLogin) redirect(307, '/');
}
