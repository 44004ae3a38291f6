/**
 * A fleet of simulated devices in a child process (so their work is not the benchmark's): each a
 * Y.Doc with a Hocuspocus provider on its own socket, over `ws`, loopback only. Driven by IPC:
 *   { start: FleetPlan }  → connects every device, answers { ready } once all have synced
 *   { goOffline: true }   → disconnects every device, each records `edits` visits, answers { offline }
 *   { reconnect: true }   → reconnects all at once, answers { synced: ms } once an observer on each
 *                           document (a provider that stayed connected) has every edit: the
 *                           server took them (ours stores before relaying) and passed them on
 * (Not the providers' own count of unconfirmed updates: on reconnect it restarts at 1, and the
 * acknowledgement of one update queued offline brings it to 0 before the rest are taken.)
 * Run by `fork` with `--import tsx`.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { v7 as uuid } from 'uuid';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as register from '../../../src/lib/data/register-doc';
import * as events from '../../../src/lib/domain/events';
import * as hlc from '../../../src/lib/domain/hlc';

export interface FleetPlan {
	syncUrl: string;
	token: string;
	/** The user the token is for: events are written in their name. */
	username: string;
	/** Device i opens documents[i % documents.length]. */
	documents: string[];
	devices: number;
	edits: number;
}

interface Device {
	doc: Y.Doc;
	socket: HocuspocusProviderWebsocket;
	provider: HocuspocusProvider;
	synced: boolean;
}

let devices: Device[] = [];
let observers = new Map<string, Device>();
let plan: FleetPlan;
/** Ids of the visits each document must end up holding. */
const written = new Map<string, string[]>();

function open(name: string): Device {
	const doc = new Y.Doc();
	const socket = new HocuspocusProviderWebsocket({ url: plan.syncUrl, WebSocketPolyfill: WebSocket, delay: 100, minDelay: 100, maxDelay: 1_000 });
	const device: Device = { doc, socket, provider: undefined!, synced: false };
	device.provider = new HocuspocusProvider({
		websocketProvider: socket,
		name,
		document: doc,
		token: plan.token,
		onSynced: () => (device.synced = true)
	});
	device.provider.attach();
	return device;
}

function recordVisits(device: Device, index: number): void {
	const ids = written.get(device.provider.configuration.name) ?? [];
	written.set(device.provider.configuration.name, ids);
	let clock = hlc.create(`bench-${index}`, Date.now());
	for (let i = 0; i < plan.edits; i++) {
		const made = events.createEvent(
			{ kind: 'visit', entity: `bench-door-${index}-${i}`, user: plan.username, value: { outcome: 'done', note: '' } },
			clock,
			Date.now(),
			uuid()
		);
		clock = made.clock;
		ids.push(made.event.id);
		// One transaction per edit, as the app writes them.
		register.change(device.doc, (w) => w.append(made.event));
	}
}

const allArrived = () => [...written].every(([name, ids]) => ids.every((id) => register.hasEvent(observers.get(name)!.doc, id)));

async function until(condition: () => boolean, what: string, timeoutMs = 600_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`device fleet: timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

process.on('message', async (message: { start?: FleetPlan; goOffline?: true; reconnect?: true; stop?: true }) => {
	if (message.start) {
		plan = message.start;
		devices = Array.from({ length: plan.devices }, (_, i) => open(plan.documents[i % plan.documents.length]));
		observers = new Map(plan.documents.map((name) => [name, open(name)]));
		await until(() => [...devices, ...observers.values()].every((d) => d.synced), 'the first sync');
		process.send!({ ready: true });
	} else if (message.goOffline) {
		for (const device of devices) {
			device.socket.disconnect();
			device.synced = false;
		}
		devices.forEach(recordVisits);
		process.send!({ offline: true });
	} else if (message.reconnect) {
		const started = performance.now();
		for (const device of devices) void device.socket.connect();
		await until(allArrived, 'every edit to reach the observers');
		process.send!({ synced: performance.now() - started });
	} else if (message.stop) {
		for (const device of [...devices, ...observers.values()]) {
			device.provider.destroy();
			device.socket.destroy();
		}
		process.exit(0);
	}
});
