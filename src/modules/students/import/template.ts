import { stringify } from 'csv-stringify/sync';
import { REFERENCE_LISTS } from '../../reference/lists.js';
import { COLUMNS, templateHeader } from './columns.js';

/**
 * The import template: a header row naming every column (its Indonesian label with the field name
 * in brackets) and one example row; in the workbook a second sheet lists every reference list with
 * its values, Dapodik codes and labels (any of the three is accepted).
 */

/** A cell a spreadsheet would run as a formula (=, +, -, @) is written behind an apostrophe. */
export function formulaSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvTemplate(): Buffer {
  const rows = [COLUMNS.map(templateHeader), COLUMNS.map((c) => formulaSafe(c.example))];
  // A byte-order mark, so Excel opens the file as UTF-8.
  return Buffer.from(`\ufeff${stringify(rows)}`, 'utf8');
}

export async function xlsxTemplate(): Promise<Buffer> {
  // ExcelJS (~15 MB once loaded) is loaded when a workbook is first made, not with the server.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const students = workbook.addWorksheet('Siswa');
  students.addRow(COLUMNS.map(templateHeader)).font = { bold: true };
  // Every cell is text: a NISN or NIK typed as a number loses its leading zeros (or its last digits).
  students.addRow(COLUMNS.map((c) => c.example));
  COLUMNS.forEach((column, index) => {
    const sheetColumn = students.getColumn(index + 1);
    sheetColumn.width = Math.max(12, Math.min(40, templateHeader(column).length + 2));
    sheetColumn.numFmt = '@';
  });
  students.views = [{ state: 'frozen', ySplit: 1 }];

  const reference = workbook.addWorksheet('Referensi');
  reference.addRow(['Daftar', 'Nilai', 'Kode Dapodik', 'Label']).font = { bold: true };
  for (const [list, items] of Object.entries(REFERENCE_LISTS)) {
    for (const item of items) reference.addRow([list, item.value, item.code, item.label]);
  }
  reference.columns.forEach((column) => (column.width = 28));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
