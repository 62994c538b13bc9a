import ExcelJS from 'exceljs';
import { COLUMNS, templateHeader } from '../src/modules/students/import/columns.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * An import file of `count` students in the template's layout, every column filled (the template's
 * example values, with unique numbers, names and classes per row), written with the streaming writer.
 */
export async function importWorkbook(count: number, firstNumber: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const { PassThrough } = await import('node:stream');
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: false });
  const sheet = book.addWorksheet('Siswa');
  sheet.addRow(COLUMNS.map(templateHeader)).commit();
  const names = ['Ahmad', 'Siti', 'Putri', 'Rizky', 'Dewi', 'Nur', 'Bima', 'Citra', 'Eka', 'Fajar'];
  for (let i = 0; i < count; i++) {
    const n = firstNumber + i;
    const unique: Record<string, string> = {
      name: `${names[i % 10]} Impor ${n}`, nisn: pad(n, 10), nik: `6473${pad(n, 12)}`, email: '', familyCardNumber: `6474${pad(n, 12)}`,
      'father.nik': `6475${pad(n, 12)}`, 'mother.nik': `6476${pad(n, 12)}`, 'guardian.nik': '', nipd: `B${n}`,
      gender: i % 2 ? 'L' : 'P', className: `X-${(i % 12) + 1}`, birthCertificateNumber: `AL-${n}`,
    };
    sheet.addRow(COLUMNS.map((c) => unique[c.field] ?? c.example)).commit();
  }
  sheet.commit();
  await book.commit();
  return Buffer.concat(chunks);
}
