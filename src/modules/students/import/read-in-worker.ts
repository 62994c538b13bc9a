import { Worker } from 'node:worker_threads';
import { AppError, type FieldError } from '../../../http/errors.js';
import { workerUrl } from '../../../worker-url.js';
import { COLUMNS, type ImportColumn } from './columns.js';
import type { Limits, SheetRow } from './read.js';

/**
 * The spreadsheet read in a worker thread (read-worker.ts): unzipping and parsing XML is most of an
 * import's work, and there it runs beside the checks instead of before them, on another core.
 */
export type WorkerMessage =
  | { type: 'header'; headerRow: number; fields: string[]; unknown: string[] }
  | { type: 'rows'; rows: [number, string[]][] }
  | { type: 'end' }
  | { type: 'refused'; status: number; code: string; message: string; errors: FieldError[] }
  | { type: 'failed'; message: string };

const WORKER_URL = workerUrl(import.meta.url, 'read-worker');
const byField = new Map(COLUMNS.map((c) => [c.field, c]));

export interface WorkerSheet {
  unknownColumns: string[];
  rows: AsyncIterable<SheetRow>;
}

/**
 * Reads the file in a worker thread. A buffer that owns its whole memory is handed over to the
 * worker rather than copied (a 20 MiB upload is not held twice): the caller must not read `bytes`
 * afterwards.
 */
export async function openSheetInWorker(bytes: Buffer, format: 'xlsx' | 'csv', limits: Limits): Promise<WorkerSheet> {
  const owned = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const worker = new Worker(WORKER_URL, { workerData: { bytes, format, limits }, transferList: owned ? [bytes.buffer] : [], env: {} });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | undefined;
  const push = (message: WorkerMessage) => {
    queue.push(message);
    wake?.();
    wake = undefined;
  };
  worker.on('message', push);
  worker.on('error', (error) => push({ type: 'failed', message: error.message }));
  worker.on('exit', (code) => code !== 0 && push({ type: 'failed', message: `the reader stopped (exit ${code})` }));

  async function next(): Promise<WorkerMessage> {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const message = queue.shift()!;
    if (message.type === 'refused') {
      await worker.terminate();
      throw new AppError(message.status, message.code, message.message, message.errors);
    }
    if (message.type === 'failed') {
      await worker.terminate();
      throw new Error(`Reading the spreadsheet failed: ${message.message}`);
    }
    return message;
  }

  const header = await next();
  if (header.type !== 'header') throw new Error('The spreadsheet reader answered out of order.');
  const columns: ImportColumn[] = header.fields.map((field) => byField.get(field)!);

  async function* rows(): AsyncGenerator<SheetRow> {
    try {
      for (let message = await next(); message.type === 'rows'; message = await next()) {
        worker.postMessage('more');
        for (const [row, values] of message.rows) yield { row, cells: new Map(columns.map((column, i) => [column, values[i] ?? ''])) };
      }
    } finally {
      await worker.terminate();
    }
  }
  return { unknownColumns: header.unknown, rows: rows() };
}
