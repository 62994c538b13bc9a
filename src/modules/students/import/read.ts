import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { AppError } from '../../../http/errors.js';
import { columnFor, IGNORED_HEADERS, normalised, type ImportColumn } from './columns.js';

/**
 * Rows of an uploaded spreadsheet (XLSX or CSV), streamed, as text cells under the columns their
 * header names. The header row is found by its contents, not its position: Dapodik's export has a
 * few title rows (how many varies between versions) and a two-row header with "Data Ayah / Data
 * Ibu / Data Wali" merged over each parent's columns.
 */
export interface Limits {
  maxRows: number;
  /** Zip-bomb guards, checked on the archive's directory before anything is unpacked. */
  maxUnpackedBytes: number;
  maxEntries: number;
}

export interface HeaderColumn {
  index: number;
  header: string;
  column: ImportColumn | undefined;
}

export interface SheetRow {
  /** The row's number in the file (1-based, as a spreadsheet shows it). */
  row: number;
  cells: Map<ImportColumn, string>;
}

export interface Sheet {
  headerRow: number;
  columns: HeaderColumn[];
  rows: AsyncIterable<SheetRow>;
}

type RawRow = { row: number; values: string[] };

/** A cell the template wrote behind an apostrophe so it would not run as a formula (template.ts). */
function unescaped(value: string): string {
  return /^'[=+\-@]/.test(value) ? value.slice(1) : value;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('').trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    if ('error' in value) return '';
  }
  return String(value).trim();
}

const unreadable = () => AppError.validation([{ code: 'INVALID_FILE', field: 'body.file', message: 'is not a readable .xlsx file' }]);

/**
 * The workbook's parts by name. An archive that would unpack to too much, or to too many parts, is
 * refused here, from its directory, before anything is unpacked.
 */
async function openArchive(bytes: Buffer, limits: Limits): Promise<{ zip: yauzl.ZipFile; parts: Map<string, yauzl.Entry> }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, autoClose: false });
  } catch {
    throw unreadable();
  }
  const tooLarge = () =>
    new AppError(413, 'FILE_TOO_LARGE', 'The workbook unpacks to more than the server accepts.', [
      { code: 'TOO_LARGE', field: 'body.file', message: `must unpack to at most ${limits.maxUnpackedBytes} bytes in at most ${limits.maxEntries} parts` },
    ]);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw tooLarge();
  }
  const parts = new Map<string, yauzl.Entry>();
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      total += entry.uncompressedSize;
      parts.set(entry.fileName, entry);
      if (total > limits.maxUnpackedBytes) {
        zip.close();
        reject(tooLarge());
      } else zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', () => reject(unreadable()));
    zip.readEntry();
  });
  return { zip, parts };
}

/**
 * ExcelJS's streaming reader takes the parts in the order they sit in the archive, and a sheet
 * that comes before the shared strings (as Excel saves them) or in a workbook without any is first
 * copied whole to a temporary file. The parts are read here in the order the parser needs them
 * instead, each straight from the upload: the relationships, the workbook, the shared strings,
 * then the first sheet, streamed. These are ExcelJS's own parsing steps (exceljs is pinned).
 */
interface WorkbookParser {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string }[] };
  sharedStrings?: unknown[];
  _parseRels(part: Readable): Promise<void>;
  _parseWorkbook(part: Readable): Promise<void>;
  _parseSharedStrings(part: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(part: Readable, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

async function* xlsxRows(bytes: Buffer, limits: Limits): AsyncGenerator<RawRow> {
  const { zip, parts } = await openArchive(bytes, limits);
  try {
    const part = (name: string) => {
      const entry = parts.get(name);
      if (!entry) throw unreadable();
      return zip.openReadStreamPromise(entry);
    };
    const parser = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
      sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'ignore',
    }) as unknown as WorkbookParser;
    await parser._parseRels(await part('xl/_rels/workbook.xml.rels'));
    await parser._parseWorkbook(await part('xl/workbook.xml'));
    if (parts.has('xl/sharedStrings.xml')) {
      for await (const _ of parser._parseSharedStrings(await part('xl/sharedStrings.xml')));
    } else parser.sharedStrings = [];
    // The first sheet in the workbook's own order holds the students; the template's second lists the reference values.
    const first = parser.model?.sheets?.[0];
    const target = parser.workbookRels?.find((rel) => rel.Id === first?.rId)?.Target.replace(/^\/?(xl\/)?/, '');
    const sheetNo = target && /^worksheets\/sheet(\d+)\.xml$/.exec(target)?.[1];
    if (!sheetNo) throw unreadable();
    for (const { value: worksheet } of parser._parseWorksheet(await part(`xl/${target}`), sheetNo)) {
      for await (const row of worksheet) {
        // ExcelJS leaves empty cells as holes in the array, which map() and forEach() skip.
        const cells = row.values as ExcelJS.CellValue[];
        const values = Array.from({ length: Math.max(0, cells.length - 1) }, (_, i) => unescaped(cellText(cells[i + 1] ?? null)));
        yield { row: row.number, values };
      }
    }
  } catch (error) {
    // A damaged part (bad compression, broken XML) is the file's fault, not the server's.
    throw error instanceof AppError ? error : unreadable();
  } finally {
    zip.close();
  }
}

async function* csvRows(bytes: Buffer): AsyncGenerator<RawRow> {
  // Excel set to Indonesian saves CSV with semicolons.
  const firstLine = bytes.subarray(0, 4096).toString('utf8').split(/\r?\n/)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const parser = Readable.from([bytes]).pipe(parseCsv({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: false, trim: true }));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { row, values: record.map(unescaped) };
    }
  } catch (error) {
    throw AppError.validation([{ code: 'INVALID_FILE', field: 'body.file', message: `is not readable CSV (${(error as Error).message.split('\n')[0]})` }]);
  }
}

const isBlank = (values: string[]) => values.every((v) => v === '');

function matches(values: string[]): number {
  return values.filter((v) => v !== '' && columnFor(v) !== undefined).length;
}

/**
 * The sheet's header and its data rows. A missing required column fails at once; so does a file
 * with more data rows than allowed (counted as they stream, before anything is written).
 */
export async function openSheet(bytes: Buffer, format: 'xlsx' | 'csv', limits: Limits): Promise<Sheet> {
  const source = (format === 'xlsx' ? xlsxRows(bytes, limits) : csvRows(bytes))[Symbol.asyncIterator]();

  let header: RawRow | undefined;
  let next = await source.next();
  // The header is the first row naming at least three known columns.
  for (let scanned = 0; !next.done && scanned < 50; scanned++, next = await source.next()) {
    if (matches(next.value.values) >= 3) {
      header = next.value;
      next = await source.next();
      break;
    }
  }
  if (!header) throw AppError.validation([{ code: 'NO_HEADER', field: 'body.file', message: 'has no header row naming the columns (download the template)' }]);

  let groups: string[] | undefined;
  // Dapodik's second header row: a parent's fields under the group merged across them ("Data Ayah"),
  // while the other headers are merged down over both rows (so empty in the second).
  if (!next.done) {
    const filled: string[] = [];
    header.values.forEach((text, i) => filled.push(text !== '' ? text : (filled[i - 1] ?? '')));
    const below = next.value.values;
    const named = below.filter((text, i) => text !== '' && columnFor(text, filled[i]) !== undefined).length;
    if (named >= 3) {
      groups = filled;
      header = { row: next.value.row, values: header.values.map((text, i) => (below[i] ? below[i]! : text)) };
      next = await source.next();
    }
  }

  const columns: HeaderColumn[] = header.values.map((text, index) => ({
    index,
    header: groups && groups[index] && normalised(groups[index]!) !== normalised(text) ? `${groups[index]} / ${text}` : text,
    column: text === '' ? undefined : columnFor(text, groups?.[index]),
  }));
  const missing = ['name', 'gender'].filter((field) => !columns.some((c) => c.column?.field === field));
  if (missing.length > 0) {
    throw AppError.validation(missing.map((field) => ({ code: 'MISSING_COLUMN', field: 'body.file', message: `has no ${field === 'name' ? 'Nama' : 'Jenis Kelamin'} column` })));
  }
  const used = columns.filter((c) => c.column !== undefined);

  const first = next;
  async function* rows(): AsyncGenerator<SheetRow> {
    let current = first;
    let dataRows = 0;
    while (!current.done) {
      const { row, values } = current.value;
      if (!isBlank(values)) {
        dataRows += 1;
        if (dataRows > limits.maxRows) {
          throw AppError.validation([{ code: 'TOO_MANY_ROWS', field: 'body.file', message: `must have at most ${limits.maxRows} rows` }]);
        }
      }
      const cells = new Map<ImportColumn, string>();
      for (const c of used) cells.set(c.column!, values[c.index] ?? '');
      yield { row, cells };
      current = await source.next();
    }
  }
  return { headerRow: header.row, columns, rows: rows() };
}

export function unknownHeaders(sheet: Sheet): string[] {
  return sheet.columns.filter((c) => c.column === undefined && c.header !== '' && !IGNORED_HEADERS.has(normalised(c.header))).map((c) => c.header);
}
