import { isRealDate } from '../../../school-time.js';
import {
  BLOOD_TYPE, EDUCATION, GENDER, INCOME_BRACKET, OCCUPATION, RELIGION, RESIDENCE_TYPE, SPECIAL_NEED, STUDENT_STATUS, TRANSPORTATION_MODE,
  type ReferenceItem,
} from '../../reference/lists.js';

/**
 * Every column an import understands: where its value goes in a student's body (the same body
 * POST /api/students takes), its header in Core's template, the headers Dapodik's "Daftar Peserta
 * Didik" export uses (a parent's columns sit under a merged "Data Ayah / Data Ibu / Data Wali"), and
 * how a cell becomes a value. A cell that cannot be read gives a message instead.
 */
export type Cell = string | number | boolean | Date | null;
export type Parsed = { value: unknown } | { error: string };

export interface ImportColumn {
  /** Dotted path in the body (`father.name`), or `className` for the class of the current year. */
  field: string;
  label: string;
  /** Other headers meaning this column (Dapodik's), compared without case, spaces or punctuation. */
  aliases?: string[];
  parse: (cell: string) => Parsed;
  example: string;
  required?: boolean;
}

/** Letters and digits only, lower case: `Rp. 1,000,000 - Rp. 1,999,999` = `Rp. 1.000.000 - Rp. 1.999.999`. */
export function normalised(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '');
}

const ok = (value: unknown): Parsed => ({ value });

function text(max: number) {
  return (cell: string): Parsed => (cell.length > max ? { error: `must be at most ${max} characters` } : ok(cell));
}

function digits(length: number, padNumbers = false) {
  return (cell: string): Parsed => {
    // Excel turns a NISN typed as a number into one without its leading zeros (usually two or three).
    const value = padNumbers && /^\d+$/.test(cell) && cell.length >= length - 3 ? cell.padStart(length, '0') : cell.replace(/[\s.-]/g, '');
    return new RegExp(`^\\d{${length}}$`).test(value) ? ok(value) : { error: `must be exactly ${length} digits` };
  };
}

function integer(min: number, max: number) {
  return (cell: string): Parsed => {
    const value = Number(cell.replace(',', '.'));
    return Number.isInteger(value) && value >= min && value <= max ? ok(value) : { error: `must be a whole number from ${min} to ${max}` };
  };
}

/** Dapodik gives the distance in kilometres (`10.4`); Core keeps metres. */
function kilometres(cell: string): Parsed {
  const km = Number(cell.replace(',', '.'));
  return Number.isFinite(km) && km >= 0 && km <= 1000 ? ok(Math.round(km * 1000)) : { error: 'must be a distance in kilometres, e.g. 2.5' };
}

function coordinate(min: number, max: number) {
  return (cell: string): Parsed => {
    const value = Number(cell.replace(',', '.'));
    return Number.isFinite(value) && value >= min && value <= max ? ok(value) : { error: `must be a number from ${min} to ${max}` };
  };
}

function yesNo(cell: string): Parsed {
  const value = normalised(cell);
  if (['ya', 'y', 'yes', 'true', '1'].includes(value)) return ok(true);
  if (['tidak', 't', 'no', 'false', '0'].includes(value)) return ok(false);
  return { error: 'must be Ya or Tidak' };
}

/** Dates as `YYYY-MM-DD`, `DD/MM/YYYY` (or with dashes or dots), or an Excel serial number. */
export function parseDate(cell: string): Parsed {
  let year: number, month: number, day: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(cell);
  const local = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(cell);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (local) [day, month, year] = [Number(local[1]), Number(local[2]), Number(local[3])];
  else if (/^\d{4,5}(\.0+)?$/.test(cell)) {
    // Excel's day count from 1899-12-30 (which absorbs Lotus' 1900 leap-year bug).
    const date = new Date(Date.UTC(1899, 11, 30) + Number(cell) * 86_400_000);
    [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else return { error: 'must be a date: YYYY-MM-DD, DD/MM/YYYY or an Excel date' };
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isRealDate(date) ? ok(date) : { error: 'is not a real date' };
}

/**
 * A value of a reference list given as Core's value (`MOTORCYCLE`), its Dapodik code (`13`) or its
 * Indonesian label (`Sepeda motor`), plus the labels Dapodik's export writes differently.
 */
function oneOf(items: readonly ReferenceItem[], aliases: Record<string, string> = {}) {
  const lookup = new Map<string, string>();
  for (const item of items) {
    lookup.set(normalised(item.value), item.value);
    lookup.set(normalised(item.label), item.value);
    if (!lookup.has(normalised(item.code))) lookup.set(normalised(item.code), item.value);
  }
  for (const [label, value] of Object.entries(aliases)) lookup.set(normalised(label), value);
  return (cell: string): Parsed => {
    const value = lookup.get(normalised(cell));
    return value ? ok(value) : { error: `is not one of ${items.map((i) => i.label).join(', ')}` };
  };
}

const specialNeed = oneOf(SPECIAL_NEED);
/** One or more special needs, separated by commas or semicolons; "Tidak ada" is none. */
function specialNeeds(cell: string): Parsed {
  const values: string[] = [];
  for (const part of cell.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
    const parsed = specialNeed(part);
    if ('error' in parsed) return parsed;
    if (parsed.value !== 'NONE' && !values.includes(parsed.value as string)) values.push(parsed.value as string);
  }
  return ok(values);
}

const parent = (prefix: 'father' | 'mother' | 'guardian', group: string, label: string): ImportColumn[] => [
  { field: `${prefix}.name`, label: `Nama ${label}`, aliases: [`${group} Nama`], parse: text(200), example: prefix === 'father' ? 'Budi Santoso' : prefix === 'mother' ? 'Siti Aminah' : '' },
  { field: `${prefix}.birthYear`, label: `Tahun Lahir ${label}`, aliases: [`${group} Tahun Lahir`], parse: integer(1900, 2100), example: prefix === 'father' ? '1978' : prefix === 'mother' ? '1981' : '' },
  { field: `${prefix}.education`, label: `Pendidikan ${label}`, aliases: [`${group} Jenjang Pendidikan`], parse: oneOf(EDUCATION), example: prefix === 'guardian' ? '' : 'S1' },
  { field: `${prefix}.occupation`, label: `Pekerjaan ${label}`, aliases: [`${group} Pekerjaan`], parse: oneOf(OCCUPATION), example: prefix === 'guardian' ? '' : 'Wiraswasta' },
  { field: `${prefix}.income`, label: `Penghasilan ${label}`, aliases: [`${group} Penghasilan`], parse: oneOf(INCOME_BRACKET), example: prefix === 'guardian' ? '' : 'Rp. 2.000.000 - Rp. 4.999.999' },
  { field: `${prefix}.nik`, label: `NIK ${label}`, aliases: [`${group} NIK`], parse: digits(16), example: '' },
];

export const COLUMNS: ImportColumn[] = [
  { field: 'name', label: 'Nama', aliases: ['Nama Lengkap', 'Nama Peserta Didik'], parse: text(200), example: 'Aisyah Putri Rahmawati', required: true },
  { field: 'nisn', label: 'NISN', parse: digits(10, true), example: '0091234567' },
  { field: 'nipd', label: 'NIPD', aliases: ['NIS'], parse: text(30), example: '2425001' },
  { field: 'gender', label: 'Jenis Kelamin', aliases: ['JK', 'L/P'], parse: oneOf(GENDER), example: 'P', required: true },
  { field: 'email', label: 'E-Mail', aliases: ['Email', 'Surel'], parse: text(254), example: 'aisyah@siswa.sch.id' },
  { field: 'birthPlace', label: 'Tempat Lahir', parse: text(100), example: 'Samarinda' },
  { field: 'birthDate', label: 'Tanggal Lahir', parse: parseDate, example: '2009-08-17' },
  { field: 'nik', label: 'NIK', parse: digits(16), example: '6472010101090001' },
  { field: 'religion', label: 'Agama', parse: oneOf(RELIGION, { katolik: 'CATHOLIC', buddha: 'BUDDHIST', konghucu: 'CONFUCIAN' }), example: 'Islam' },
  { field: 'bloodType', label: 'Golongan Darah', parse: oneOf(BLOOD_TYPE), example: 'O' },
  { field: 'status', label: 'Status', parse: oneOf(STUDENT_STATUS), example: 'Aktif' },
  { field: 'address.street', label: 'Alamat', aliases: ['Alamat Jalan'], parse: text(200), example: 'Jl. Juanda No. 1' },
  { field: 'address.rt', label: 'RT', parse: (c) => (/^\d{1,3}$/.test(c) ? ok(c) : { error: 'must be 1 to 3 digits' }), example: '003' },
  { field: 'address.rw', label: 'RW', parse: (c) => (/^\d{1,3}$/.test(c) ? ok(c) : { error: 'must be 1 to 3 digits' }), example: '012' },
  { field: 'address.hamlet', label: 'Dusun', parse: text(100), example: '' },
  { field: 'address.subDistrict', label: 'Kelurahan', aliases: ['Desa/Kelurahan'], parse: text(100), example: 'Air Hitam' },
  { field: 'address.district', label: 'Kecamatan', parse: text(100), example: 'Samarinda Ulu' },
  { field: 'address.city', label: 'Kabupaten/Kota', aliases: ['Kota', 'Kabupaten'], parse: text(100), example: 'Samarinda' },
  { field: 'address.province', label: 'Provinsi', parse: text(100), example: 'Kalimantan Timur' },
  { field: 'address.postalCode', label: 'Kode Pos', parse: digits(5), example: '75124' },
  { field: 'address.latitude', label: 'Lintang', parse: coordinate(-90, 90), example: '-0.5022' },
  { field: 'address.longitude', label: 'Bujur', parse: coordinate(-180, 180), example: '117.1536' },
  { field: 'residenceType', label: 'Jenis Tinggal', parse: oneOf(RESIDENCE_TYPE), example: 'Bersama orang tua' },
  { field: 'transportationMode', label: 'Alat Transportasi', parse: oneOf(TRANSPORTATION_MODE, { 'Angkutan umum/bus/pete-pete': 'PUBLIC_TRANSPORT' }), example: 'Sepeda motor' },
  { field: 'landline', label: 'Telepon', parse: (c) => (/^[0-9][0-9 -]{4,18}[0-9]$/.test(c) ? ok(c) : { error: 'must be a phone number' }), example: '0541-123456' },
  { field: 'phoneNumber', label: 'HP', aliases: ['Nomor HP', 'No HP'], parse: text(20), example: '081255550101' },
  { field: 'skhun', label: 'SKHUN', parse: text(50), example: '' },
  { field: 'welfare.kpsRecipient', label: 'Penerima KPS', parse: yesNo, example: 'Tidak' },
  { field: 'welfare.kpsNumber', label: 'No. KPS', aliases: ['Nomor KPS'], parse: text(50), example: '' },
  ...parent('father', 'Data Ayah', 'Ayah'),
  ...parent('mother', 'Data Ibu', 'Ibu'),
  ...parent('guardian', 'Data Wali', 'Wali'),
  { field: 'className', label: 'Rombel Saat Ini', aliases: ['Rombel', 'Kelas'], parse: text(50), example: 'X-1' },
  { field: 'nationalExamNumber', label: 'No Peserta Ujian Nasional', parse: text(50), example: '' },
  { field: 'diplomaSerialNumber', label: 'No Seri Ijazah', parse: text(50), example: '' },
  { field: 'welfare.kipRecipient', label: 'Penerima KIP', parse: yesNo, example: 'Tidak' },
  { field: 'welfare.kipNumber', label: 'Nomor KIP', parse: text(50), example: '' },
  { field: 'welfare.kipName', label: 'Nama di KIP', parse: text(200), example: '' },
  { field: 'welfare.kksNumber', label: 'Nomor KKS', parse: text(50), example: '' },
  { field: 'birthCertificateNumber', label: 'No Registrasi Akta Lahir', parse: text(50), example: '6472-LT-12345678' },
  { field: 'bankAccount.bank', label: 'Bank', parse: text(100), example: '' },
  { field: 'bankAccount.number', label: 'Nomor Rekening Bank', parse: text(40), example: '' },
  { field: 'bankAccount.holderName', label: 'Rekening Atas Nama', parse: text(200), example: '' },
  { field: 'welfare.pipEligible', label: 'Layak PIP (usulan dari sekolah)', aliases: ['Layak PIP'], parse: yesNo, example: 'Tidak' },
  { field: 'welfare.pipReason', label: 'Alasan Layak PIP', parse: text(200), example: '' },
  { field: 'specialNeeds', label: 'Kebutuhan Khusus', parse: specialNeeds, example: 'Tidak ada' },
  { field: 'previousSchool', label: 'Sekolah Asal', parse: text(200), example: 'SMP Negeri 1 Samarinda' },
  { field: 'birthOrder', label: 'Anak ke-berapa', aliases: ['Anak ke'], parse: integer(1, 30), example: '1' },
  { field: 'familyCardNumber', label: 'No KK', aliases: ['Nomor KK', 'No. KK'], parse: digits(16), example: '6472010101090002' },
  { field: 'weight', label: 'Berat Badan', parse: integer(10, 300), example: '48' },
  { field: 'height', label: 'Tinggi Badan', parse: integer(50, 250), example: '158' },
  { field: 'headCircumference', label: 'Lingkar Kepala', parse: integer(30, 80), example: '54' },
  { field: 'numberOfSiblings', label: 'Jml. Saudara Kandung', aliases: ['Jumlah Saudara Kandung'], parse: integer(0, 30), example: '2' },
  { field: 'distance', label: 'Jarak Rumah ke Sekolah (KM)', aliases: ['Jarak Rumah ke Sekolah'], parse: kilometres, example: '3.5' },
  { field: 'travelTime', label: 'Waktu Tempuh (menit)', parse: integer(0, 1440), example: '15' },
  { field: 'hobby', label: 'Hobi', parse: text(100), example: 'Membaca' },
];

/** Headers that are not data (Dapodik's running number). */
export const IGNORED_HEADERS = new Set(['no', 'nomor']);

const byHeader = new Map<string, ImportColumn>();
for (const column of COLUMNS) {
  for (const header of [column.label, column.field, ...(column.aliases ?? [])]) byHeader.set(normalised(header), column);
}

/**
 * The column a header names: Core's template header (`Nama Ayah (father.name)`), its label or field
 * alone, or Dapodik's (with the merged group above it for a parent's columns).
 */
export function columnFor(header: string, group?: string): ImportColumn | undefined {
  const field = /\(([a-zA-Z.]+)\)\s*$/.exec(header)?.[1];
  if (field) {
    const column = COLUMNS.find((c) => c.field === field);
    if (column) return column;
  }
  if (group && normalised(group) !== normalised(header)) {
    const grouped = byHeader.get(normalised(`${group} ${header}`));
    if (grouped) return grouped;
  }
  return byHeader.get(normalised(header));
}

export function templateHeader(column: ImportColumn): string {
  return `${column.label} (${column.field})`;
}
