/**
 * Spreadsheet files in and out: a CSV or XLSX file becomes rows of strings, and rows of strings
 * become an XLSX or CSV file. What the cells mean is the domain's business (register-import.ts).
 *
 * The libraries are loaded with dynamic import() when a file is read or written, so they stay
 * out of the app shell: read-excel-file (browser entry: it unzips in a worker), write-excel-file
 * and papaparse.
 *
 * Encodings: Excel and WPS on Chinese Windows save "CSV" in GBK (code page 936), and Excel's
 * "Unicode text" in UTF-16 with a BOM. A file is read as UTF-8 when it is valid UTF-8 (with or
 * without a BOM), as UTF-16 when it starts with a UTF-16 BOM, and otherwise as GB 18030 (a
 * superset of GBK). CSV is written in UTF-8 with a BOM, which Excel needs to open it as UTF-8.
 */

export type SpreadsheetErrorCode = 'too_large' | 'unsupported_format' | 'unreadable';

/** A file that cannot be read as a spreadsheet, with the reason as a code for the UI. */
export class SpreadsheetError extends Error {
	constructor(
		readonly code: SpreadsheetErrorCode,
		detail = ''
	) {
		super(detail ? `${code}: ${detail}` : code);
		this.name = 'SpreadsheetError';
	}
}

/** A community's whole register is a few MB; anything far larger is not a register. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Format = 'xlsx' | 'xls' | 'text';

/** By content, not by name: staff rename files, and a ".csv" saved by WPS can be anything. */
function formatOf(bytes: Uint8Array): Format {
	if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
	if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
	return 'text';
}

/** Reads the first sheet of an XLSX file, or a CSV/TSV text file, as rows of strings. */
export async function readSpreadsheet(file: Blob | ArrayBuffer): Promise<string[][]> {
	const size = file instanceof Blob ? file.size : file.byteLength;
	if (size > MAX_FILE_BYTES) throw new SpreadsheetError('too_large', String(size));
	const buffer = file instanceof Blob ? await file.arrayBuffer() : file;
	const bytes = new Uint8Array(buffer);
	const format = formatOf(bytes);
	// The old binary .xls needs a much larger parser; Excel and WPS both save as .xlsx.
	if (format === 'xls') throw new SpreadsheetError('unsupported_format', 'xls');
	try {
		return format === 'xlsx' ? await readXlsx(buffer) : await parseCsv(decodeText(bytes));
	} catch (error) {
		throw new SpreadsheetError('unreadable', error instanceof Error ? error.message : String(error));
	}
}

/** The text of a file in UTF-8 (BOM or not), UTF-16 (with a BOM) or, failing those, GB 18030. */
export function decodeText(bytes: Uint8Array): string {
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
	try {
		// ignoreBOM: false (the default) drops a UTF-8 BOM.
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

/** CSV (or tab-separated) text as rows; the delimiter is detected. Empty lines stay, so row numbers match the file. */
export async function parseCsv(text: string): Promise<string[][]> {
	const { default: Papa } = await import('papaparse');
	const result = Papa.parse<string[]>(text, { skipEmptyLines: false });
	const rows = result.data.map((row) => row.map((cell) => cell ?? ''));
	// A final line break is not a row.
	if (rows.length > 0 && rows[rows.length - 1].every((cell) => cell === '')) rows.pop();
	return rows;
}

async function readXlsx(buffer: ArrayBuffer): Promise<string[][]> {
	const { readSheet } = await import('read-excel-file/browser');
	// Numbers are kept as the digits in the file: an ID or phone number never passes through a float.
	const data = await readSheet<string>(buffer, { parseNumber: (digits) => digits, trim: false });
	return data.map((row) => row.map(cellText));
}

/** A cell as text: a date cell as `YYYY-MM-DD` (read-excel-file gives it at UTC midnight). */
export function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
	return String(value);
}

/** An XLSX file of one sheet; every cell is text, so ID numbers keep all 18 characters. */
export async function writeXlsx(rows: readonly (readonly string[])[], sheet: string): Promise<Blob> {
	const { default: writeXlsxFile } = await import('write-excel-file/universal');
	const widths = (rows[0] ?? []).map((_, column) =>
		Math.min(40, Math.max(6, ...rows.slice(0, 200).map((row) => displayWidth(row[column] ?? '')))) + 2
	);
	const data = rows.map((row, index) =>
		row.map((value) => ({ value, type: String, ...(index === 0 ? { fontWeight: 'bold' as const } : {}) }))
	);
	const blob = await writeXlsxFile(data, { sheet: sheet.slice(0, 31), columns: widths.map((width) => ({ width })), stickyRowsCount: 1 }).toBlob();
	return blob.type ? blob : new Blob([blob], { type: XLSX_TYPE });
}

/** Chinese characters take two columns in a spreadsheet. */
function displayWidth(text: string): number {
	let width = 0;
	for (const char of text) width += char.charCodeAt(0) > 0x2e80 ? 2 : 1;
	return width;
}

/** Long digit strings that Excel would turn into 1.10105E+17 on opening a CSV. */
const LONG_DIGITS = /^\d{11,}[\dXx]?$/;

/**
 * A CSV file in UTF-8 with a BOM. Long digit strings (ID and phone numbers) start with a tab,
 * which Excel keeps as text instead of rounding them to 15 digits; the importer trims it. Cells
 * that a spreadsheet would run as a formula (=, +, -, @) are escaped with a quote mark.
 */
export async function writeCsv(rows: readonly (readonly string[])[]): Promise<Blob> {
	const { default: Papa } = await import('papaparse');
	const data = rows.map((row) => row.map((cell) => (LONG_DIGITS.test(cell) ? `\t${cell}` : cell)));
	const text = Papa.unparse(data, { escapeFormulae: /^[=+\-@]/, newline: '\r\n' });
	return new Blob(['\uFEFF', text, '\r\n'], { type: 'text/csv;charset=utf-8' });
}

/** Offers a file to the user as a download. */
export function saveFile(blob: Blob, filename: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	// The download has started by the next task; revoking at once can cancel it in some browsers.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
