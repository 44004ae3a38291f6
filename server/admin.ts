/**
 * `npm run admin -- <command> [options]`: user accounts, for production where there is no
 * demo data. Works while the server runs (SQLite WAL); changes apply at the user's next
 * login, `/api/me` or sync connection.
 *
 *   create-coordinator --username wang --community c1 --name 王书记
 *   create-user --username li --role grid_worker --community c1 --grids g01,g02 --name 李网格员
 *   disable-user --username li        enable-user --username li
 *
 * The password comes from `GRIDWALK_PASSWORD`, else it is asked for on stdin.
 * `DATA_DIR` [./data] names the database as for the server.
 */
import { maskConsole } from './log';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { roles, userSchema, type Role, type User } from '../src/lib/domain/access';
import { openDatabase } from './db';
import { checkPassword, createUsers } from './users';

const usage = `usage: npm run admin -- <command> [options]
  create-coordinator --username NAME --community ID --name DISPLAY_NAME
  create-user --username NAME --role ${roles.join('|')} --community ID [--grids g01,g02] --name DISPLAY_NAME
  disable-user --username NAME
  enable-user --username NAME
password: GRIDWALK_PASSWORD, else asked on stdin; database: DATA_DIR (default ./data)`;

/** Reads one line from stdin, without echoing it when stdin is a terminal. */
async function askPassword(): Promise<string> {
	const terminal = process.stdin.isTTY === true;
	const lines = createInterface({ input: process.stdin, output: process.stdout, terminal });
	if (terminal) {
		process.stdout.write('Password: ');
		// Swallow readline's echo of what is typed.
		(lines as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
	}
	try {
		return await new Promise<string>((resolve, reject) => {
			lines.once('line', resolve);
			lines.once('close', () => reject(new Error('no password given (set GRIDWALK_PASSWORD or type it)')));
		});
	} finally {
		if (terminal) process.stdout.write('\n');
		lines.close();
	}
}

function required(values: Record<string, string | undefined>, name: string): string {
	const value = values[name];
	if (!value) throw new Error(`--${name} is required\n${usage}`);
	return value;
}

async function run(argv: string[]): Promise<string> {
	const { positionals, values } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			username: { type: 'string' },
			community: { type: 'string' },
			name: { type: 'string' },
			role: { type: 'string' },
			grids: { type: 'string' }
		}
	});
	const command = positionals[0];
	const db = openDatabase(process.env.DATA_DIR || './data');
	const users = createUsers(db);
	try {
		switch (command) {
			case 'create-coordinator':
			case 'create-user': {
				const role = (command === 'create-coordinator' ? 'coordinator' : required(values, 'role')) as Role;
				if (!roles.includes(role)) throw new Error(`--role must be one of ${roles.join(', ')}`);
				// Checked before asking for a password, so a typo does not cost one.
				const user: User = userSchema.parse({
					username: required(values, 'username'),
					displayName: required(values, 'name'),
					role,
					scope: {
						communityId: required(values, 'community'),
						gridIds: role === 'coordinator' ? [] : (values.grids ?? '').split(',').filter(Boolean)
					},
					disabled: false
				});
				const password = process.env.GRIDWALK_PASSWORD ?? (await askPassword());
				checkPassword(password);
				await users.create(user, password);
				return `created ${user.role} ${user.username} in ${user.scope.communityId}`;
			}
			case 'disable-user':
			case 'enable-user': {
				const username = required(values, 'username');
				const disabled = command === 'disable-user';
				if (!users.setDisabled(username, disabled)) throw new Error(`no user "${username}"`);
				return `${disabled ? 'disabled' : 'enabled'} ${username}`;
			}
			default:
				throw new Error(usage);
		}
	} finally {
		db.close();
	}
}

maskConsole();
run(process.argv.slice(2)).then(
	(message) => console.log(message),
	(error: unknown) => {
		if (error instanceof z.ZodError) console.error(z.prettifyError(error));
		else console.error(error instanceof Error ? error.message : error);
		process.exitCode = 1;
	}
);
