import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../http/errors.js';
import { openSheet, unknownHeaders, type Limits } from './read.js';
import type { WorkerMessage } from './read-in-worker.js';

/**
 * Reads a spreadsheet off the API's thread (read-in-worker.ts): sends the header, then the rows in
 * batches, waiting whenever the API thread is several batches behind so memory stays bounded.
 */
const { bytes, format, limits } = workerData as { bytes: Uint8Array; format: 'xlsx' | 'csv'; limits: Limits };
const port = parentPort!;
const BATCH = 500;
const AHEAD = 4;

let acknowledged = 0;
let waiting: (() => void) | undefined;
port.on('message', () => {
  acknowledged += 1;
  waiting?.();
  waiting = undefined;
});

const send = (message: WorkerMessage) => port.postMessage(message);

try {
  const sheet = await openSheet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), format, limits);
  const used = sheet.columns.filter((c) => c.column !== undefined);
  send({ type: 'header', headerRow: sheet.headerRow, fields: used.map((c) => c.column!.field), unknown: unknownHeaders(sheet) });
  let batch: [number, string[]][] = [];
  let sent = 0;
  for await (const { row, cells } of sheet.rows) {
    batch.push([row, [...cells.values()]]);
    if (batch.length < BATCH) continue;
    send({ type: 'rows', rows: batch });
    batch = [];
    sent += 1;
    if (sent - acknowledged >= AHEAD) await new Promise<void>((resolve) => (waiting = resolve));
  }
  if (batch.length > 0) send({ type: 'rows', rows: batch });
  send({ type: 'end' });
} catch (error) {
  if (error instanceof AppError) send({ type: 'refused', status: error.status, code: error.code, message: error.message, errors: error.errors });
  else send({ type: 'failed', message: (error as Error).message });
}
