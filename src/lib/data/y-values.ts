import type * as Y from 'yjs';
import type { z } from 'zod';

/**
 * Values of a Y.Map that fit the schema. A value that does not (written by an older or a
 * hostile client) is left out rather than breaking every screen that reads the map.
 */
export function parseEntries<S extends z.ZodType>(map: Y.Map<unknown>, schema: S): z.output<S>[] {
	const values: z.output<S>[] = [];
	for (const value of map.values()) {
		const parsed = schema.safeParse(value);
		if (parsed.success) values.push(parsed.data);
	}
	return values;
}

/** Calls `listener` after every change to the document, local or remote. */
export function subscribe(doc: Y.Doc, listener: () => void): () => void {
	const handler = () => listener();
	doc.on('update', handler);
	return () => doc.off('update', handler);
}
