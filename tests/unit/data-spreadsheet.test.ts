import { describe, expect, test } from 'vitest';
import { readSheet as readXlsxInNode } from 'read-excel-file/node';
import writeXlsxInNode from 'write-excel-file/node';
import { cellText, decodeText, parseCsv, readSpreadsheet, SpreadsheetError, writeCsv, writeXlsx } from '$lib/data/spreadsheet';

const ROWS = [
	['小区', '楼栋', '单元', '门牌号', '姓名', '身份证号', '联系电话', '备注'],
	['幸福里', '9号楼', '2单元', '502', '王秀英', '11010519491231002X', '13800138000', '独居，"腿脚不便"'],
	['幸福里', '9号楼', '2单元', '502', '李建国', '440524188001010014', '', '=SUM(A1)'],
	['长青苑', '1号楼', '1', '101', '張 偉', '', '010-12345678', '第一行\n第二行']
];

/** GBK bytes of a text, built from the platform's own GBK decoder (Node has no GBK encoder). */
function gbk(text: string): Uint8Array {
	const table = new Map<string, number[]>();
	const decoder = new TextDecoder('gbk');
	for (let lead = 0x81; lead <= 0xfe; lead++) {
		for (let trail = 0x40; trail <= 0xfe; trail++) {
			if (trail === 0x7f) continue;
			const char = decoder.decode(new Uint8Array([lead, trail]));
			if (char.length === 1 && char !== '\uFFFD' && !table.has(char)) table.set(char, [lead, trail]);
		}
	}
	const bytes: number[] = [];
	for (const char of text) {
		if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
		else bytes.push(...table.get(char)!);
	}
	return new Uint8Array(bytes);
}

const csvText = ['小区,楼栋,门牌号,姓名', '幸福里,9号楼,502,王秀英', '長青苑,1号楼,101,張偉'].join('\r\n') + '\r\n';
const csvRows = [
	['小区', '楼栋', '门牌号', '姓名'],
	['幸福里', '9号楼', '502', '王秀英'],
	['長青苑', '1号楼', '101', '張偉']
];

const buffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe('CSV', () => {
	test('UTF-8 without a BOM', async () => {
		expect(await readSpreadsheet(buffer(new TextEncoder().encode(csvText)))).toEqual(csvRows);
	});

	test('UTF-8 with a BOM: the BOM is not part of the first header', async () => {
		const rows = await readSpreadsheet(new Blob(['\uFEFF', csvText]));
		expect(rows).toEqual(csvRows);
		expect(rows[0][0]).toBe('小区');
	});

	test('GBK, as Excel and WPS save CSV on Chinese Windows', async () => {
		const bytes = gbk(csvText);
		// really not UTF-8
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
		expect(await readSpreadsheet(buffer(bytes))).toEqual(csvRows);
	});

	test("UTF-16 tab-separated, as Excel's Unicode text", async () => {
		const text = csvText.replaceAll(',', '\t');
		const bytes = new Uint8Array(2 + text.length * 2);
		bytes.set([0xff, 0xfe]);
		for (let i = 0; i < text.length; i++) bytes.set([text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8], 2 + i * 2);
		expect(await readSpreadsheet(buffer(bytes))).toEqual(csvRows);
	});

	test('empty lines stay, so row numbers match the file; quoted line breaks stay in their cell', async () => {
		expect(await parseCsv('a,b\n\nc,"d\ne"\n')).toEqual([['a', 'b'], [''], ['c', 'd\ne']]);
	});

	test('written with a UTF-8 BOM; reads back the same, long numbers kept whole', async () => {
		const blob = await writeCsv(ROWS);
		expect(blob.type).toBe('text/csv;charset=utf-8');
		const bytes = new Uint8Array(await blob.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = decodeText(bytes);
		// Excel keeps a tab-led cell as text instead of rounding it to 1.10105E+17.
		expect(text).toContain('\t11010519491231002X');
		// and does not run a cell as a formula
		expect(text).toContain("'=SUM(A1)");
		const back = await readSpreadsheet(blob);
		expect(back.map((row) => row.map((cell) => cell.trim()))).toEqual(ROWS.map((row) => row.map((cell) => (cell.startsWith('=') ? `'${cell}` : cell.trim()))));
	});
});

describe('XLSX', () => {
	test('write then read: Chinese headers and values, ID numbers as text, one sheet', async () => {
		const blob = await writeXlsx(ROWS, '住户名册');
		expect(blob.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		expect(await readSpreadsheet(blob)).toEqual(ROWS);
	});

	test("what this module writes reads back the same through the library's Node entry", async () => {
		const blob = await writeXlsx(ROWS, '住户名册');
		const data = await readXlsxInNode(Buffer.from(await blob.arrayBuffer()));
		expect(data.map((row) => row.map(cellText))).toEqual(ROWS);
	});

	test('a file from elsewhere: numbers keep their digits, dates become YYYY-MM-DD, empty cells ""', async () => {
		const data = [
			['姓名', '出生日期', '电话', '人数', '空'],
			['王秀英', { value: new Date(Date.UTC(1949, 11, 31)), format: 'yyyy/m/d' }, 13800138000, 3, null]
		];
		const file = await writeXlsxInNode(data as never).toBuffer();
		expect(await readSpreadsheet(buffer(new Uint8Array(file)))).toEqual([
			['姓名', '出生日期', '电话', '人数', '空'],
			['王秀英', '1949-12-31', '13800138000', '3', '']
		]);
	});

	test('refuses the old binary .xls, a broken .xlsx and a file far too large, with a reason code', async () => {
		const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		await expect(readSpreadsheet(buffer(xls))).rejects.toMatchObject({ code: 'unsupported_format' });
		const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
		await expect(readSpreadsheet(buffer(broken))).rejects.toBeInstanceOf(SpreadsheetError);
		await expect(readSpreadsheet(buffer(broken))).rejects.toMatchObject({ code: 'unreadable' });
		await expect(readSpreadsheet(new ArrayBuffer(21 * 1024 * 1024))).rejects.toMatchObject({ code: 'too_large' });
	});
});
