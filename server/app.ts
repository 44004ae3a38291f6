/**
 * Wires the server together: one `node:http` server for the API, the static app and the
 * `/sync` WebSocket upgrade, over one SQLite database. `startServer` is what main.ts runs and
 * what in-process tests call.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createTokens, tokenSecret } from './auth';
import { createCommunities } from './communities';
import { openDatabase } from './db';
import { createRequestHandler } from './http';
import { createLoginThrottle, type ThrottleOptions } from './login-throttle';
import { log as logLine } from './log';
import { isPristine, seedDemo } from './seed';
import { createSqliteStore } from './store/sqlite-store';
import { createSync } from './sync';
import { createUsers } from './users';

/** The app's version, from package.json, for `/healthz`. */
export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/**
 * A client that trickles its request (slow-loris) is answered 408 and dropped: headers must be
 * complete in 10 s, the whole request in 30 s. Node checks every `connectionsCheckingInterval`.
 */
export const HTTP_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 } as const;

export interface ServerOptions {
	/** Default `0.0.0.0`. */
	host?: string;
	/** 0 picks a free port. */
	port: number;
	dataDir: string;
	/** The built app; default `build`. */
	staticDir?: string;
	/** Seed the demo community into an empty database, or `false` (production). */
	demo: { households: number } | false;
	compactEvery?: number;
	loginThrottle?: ThrottleOptions;
	log?: (message: string, error?: unknown) => void;
}

/** `created`: seeded now; `existing`: the database already had data; `off`: production. */
export type DemoStatus = 'created' | 'existing' | 'off';

export interface RunningServer {
	url: string;
	port: number;
	dataDir: string;
	demo: DemoStatus;
	/** Whether any account exists (production starts with none). */
	hasUsers: boolean;
	/** Stops accepting, closes sync connections, compacts documents, closes the database. */
	close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
	const log = options.log ?? logLine;
	const dataDir = resolve(options.dataDir);
	const db = openDatabase(dataDir);
	const store = createSqliteStore(db);
	const users = createUsers(db);
	const communities = createCommunities(db);
	const tokens = createTokens(tokenSecret(db));

	let demo: DemoStatus = 'off';
	if (options.demo) {
		demo = (await isPristine({ store, users, communities })) ? 'created' : 'existing';
		if (demo === 'created') await seedDemo({ store, users, communities }, options.demo);
	}

	const sync = createSync({ store, users, tokens, communities, compactEvery: options.compactEvery, log });
	const server = createServer(
		HTTP_TIMEOUTS,
		createRequestHandler({
			users,
			tokens,
			communities,
			throttle: createLoginThrottle(options.loginThrottle),
			staticDir: resolve(options.staticDir ?? 'build'),
			version: VERSION,
			onError: (error) => log('[http] request failed', error),
			onLoginRefused: (username, address, code) => log(`[auth] login refused for ${username} from ${address}: ${code}`),
			onAccessChanged: () => sync.revalidate()
		})
	);
	server.on('upgrade', sync.handleUpgrade);

	const host = options.host ?? '0.0.0.0';
	try {
		await new Promise<void>((resolveListen, reject) => {
			server.once('error', reject);
			server.listen(options.port, host, () => resolveListen());
		});
	} catch (error) {
		db.close();
		throw error;
	}
	const port = (server.address() as AddressInfo).port;

	let closing: Promise<void> | undefined;
	const close = async () => {
		server.close();
		await sync.close();
		server.closeAllConnections();
		await store.close();
		db.close();
	};
	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
		port,
		dataDir,
		demo,
		hasUsers: users.count() > 0,
		close: () => (closing ??= close())
	};
}
