/**
 * `npm start`: the Gridwalk server in one process.
 *
 * Environment (defaults in brackets):
 * - `HOST` [0.0.0.0], `PORT` [8080; 0 picks a free port]
 * - `DATA_DIR` [./data]: holds `gridwalk.sqlite`
 * - `STATIC_DIR` [./build]: the built app
 * - `GRIDWALK_PRODUCTION` [unset]: `1` never seeds demo data; create the first coordinator
 *   with `npm run admin -- create-coordinator ...`
 * - `DEMO_HOUSEHOLDS` [2000, at most 50000]: size of the demo community seeded into an
 *   empty database when not in production
 *
 * Prints one line when ready, which tests parse:
 * `Gridwalk listening on http://HOST:PORT data=DATA_DIR demo=created|existing|off`
 */
import { startServer } from './app';
import { maskConsole } from './log';
import { MAX_DEMO_HOUSEHOLDS } from './seed';

function integer(name: string, fallback: number, min: number, max: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
	}
	return value;
}

async function main(): Promise<void> {
	const production = process.env.GRIDWALK_PRODUCTION === '1';
	const server = await startServer({
		host: process.env.HOST || '0.0.0.0',
		port: integer('PORT', 8080, 0, 65535),
		dataDir: process.env.DATA_DIR || './data',
		staticDir: process.env.STATIC_DIR || './build',
		demo: production ? false : { households: integer('DEMO_HOUSEHOLDS', 2000, 1, MAX_DEMO_HOUSEHOLDS) }
	});
	console.log(`Gridwalk listening on ${server.url} data=${server.dataDir} demo=${server.demo}`);
	if (!server.hasUsers) {
		console.error('No accounts yet: npm run admin -- create-coordinator --username NAME --community ID --name DISPLAY_NAME');
	}

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`Gridwalk stopping (${signal})`);
		try {
			await server.close();
			process.exit(0);
		} catch (error) {
			console.error('Gridwalk: shutdown failed', error);
			process.exit(1);
		}
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
	// Hocuspocus runs some hooks without awaiting them; a stray rejection from one must not take
	// every connected device offline. Every update is already in the log, so carrying on is safe.
	process.on('unhandledRejection', (error) => console.error('Gridwalk: unhandled rejection', error));
	process.on('uncaughtException', (error) => {
		console.error('Gridwalk: uncaught exception', error);
		process.exit(1);
	});
}

// Before anything can log: every line leaves this process masked (see log.ts).
maskConsole();

main().catch((error: unknown) => {
	console.error('Gridwalk: could not start:', error instanceof Error ? error.message : error);
	process.exit(1);
});
