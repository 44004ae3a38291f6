/**
 * Devices for the server load benchmark, in a child process: each one socket and one document,
 * speaking just enough of the protocol to be let in and to send edits (a device that already
 * holds its grid says so with the server's state vector, so nobody downloads the community).
 * Every device records a visit every `intervalMs` (jittered) whose note carries the time it was
 * made, for the listener to time the fan-out. `ws` devices send the same update bytes, unframed,
 * to a plain broadcast server. Driven by IPC: { start: LoadPlan } → { held }, { run: true } →
 * { sent } once `durationMs` has passed. Run by `fork` with `--import tsx`.
 */
import * as decoding from 'lib0/decoding';
import { v7 as uuid } from 'uuid';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as register from '../../../src/lib/data/register-doc';
import * as events from '../../../src/lib/domain/events';
import * as hlc from '../../../src/lib/domain/hlc';
import { fromBase64 } from '../../../src/lib/domain/base64';
import { authFrame, syncFrame } from '../../sync/support/raw-client';

export interface LoadPlan {
	kind: 'hocuspocus' | 'ws';
	/** `ws://…/sync` for Hocuspocus, `ws://…` for the broadcast server (the document is the path). */
	url: string;
	token: string;
	username: string;
	documents: string[];
	/** The server's state vector of each document (base64), sent as the device's sync step 1. */
	stateVectors: Record<string, string>;
	devices: number;
	/** This fleet's first device number, so device ids differ across fleets. */
	firstDevice: number;
	intervalMs: number;
	durationMs: number;
}

const AUTH_MESSAGE = 2;
const AUTHENTICATED = 2;

interface Device {
	socket: WebSocket;
	document: string;
	doc: Y.Doc;
	clock: hlc.Clock;
	held: boolean;
}

let plan: LoadPlan;
let devices: Device[] = [];
let sent = 0;

function connect(index: number): Promise<Device> {
	const document = plan.documents[index % plan.documents.length];
	const socket = new WebSocket(plan.kind === 'ws' ? `${plan.url}/${encodeURIComponent(document)}` : plan.url);
	socket.binaryType = 'nodebuffer';
	const device: Device = { socket, document, doc: new Y.Doc(), clock: hlc.create(`load-${plan.firstDevice + index}`, Date.now()), held: false };
	return new Promise((resolve) => {
		socket.once('error', () => resolve(device));
		socket.once('close', () => {
			device.held = false;
			resolve(device);
		});
		socket.once('open', () => {
			if (plan.kind === 'ws') {
				device.held = true;
				resolve(device);
				return;
			}
			socket.send(authFrame(document, plan.token));
			socket.send(syncFrame(document, 'step1', fromBase64(plan.stateVectors[document])));
		});
		if (plan.kind === 'hocuspocus')
			socket.on('message', (data: Buffer) => {
				if (device.held) return;
				const decoder = decoding.createDecoder(new Uint8Array(data));
				decoding.readVarString(decoder);
				if (decoding.readVarUint(decoder) === AUTH_MESSAGE && decoding.readVarUint(decoder) === AUTHENTICATED) {
					device.held = true;
					resolve(device);
				}
			});
	});
}

function edit(device: Device): void {
	if (!device.held || device.socket.readyState !== WebSocket.OPEN) return;
	const made = events.createEvent(
		{ kind: 'visit', entity: `load-door-${device.clock.node}`, user: plan.username, value: { outcome: 'done', note: `t:${Date.now()}` } },
		device.clock,
		Date.now(),
		uuid()
	);
	device.clock = made.clock;
	let update: Uint8Array | undefined;
	device.doc.once('update', (u: Uint8Array) => (update = u));
	register.change(device.doc, (w) => w.append(made.event));
	device.socket.send(plan.kind === 'ws' ? update! : syncFrame(device.document, 'update', update!));
	sent++;
}

process.on('message', async (message: { start?: LoadPlan; run?: true; stop?: true }) => {
	if (message.start) {
		plan = message.start;
		// Opened in waves, as devices come online over a morning rather than in one instant.
		for (let at = 0; at < plan.devices; at += 50) devices.push(...(await Promise.all(Array.from({ length: Math.min(50, plan.devices - at) }, (_, i) => connect(at + i)))));
		process.send!({ held: devices.filter((d) => d.held).length });
	} else if (message.run) {
		const timers = devices.map((device) => {
			const first = setTimeout(() => {
				edit(device);
				timers.push(setInterval(() => edit(device), plan.intervalMs));
			}, Math.random() * plan.intervalMs);
			return first;
		});
		await new Promise((resolve) => setTimeout(resolve, plan.durationMs));
		for (const timer of timers) clearInterval(timer);
		process.send!({ sent, held: devices.filter((d) => d.held).length });
	} else if (message.stop) {
		for (const device of devices) device.socket.terminate();
		process.exit(0);
	}
});
