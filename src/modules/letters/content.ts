import type { LetterTypeValue } from '../../db/schema.js';

/** What a letter says about its applicant, from their student or teacher record (or the account). */
export interface ApplicantDetails {
  name: string;
  nisn: string | null;
  nip: string | null;
  className: string | null;
  birthPlace: string | null;
  birthDate: string | null;
}

export interface ContentInput {
  letterType: LetterTypeValue;
  subject: string;
  reason: string | null;
  beginDate: string | null;
  endDate: string | null;
  applicant: ApplicantDetails;
  schoolName: string;
  academicYear: string;
  timeZone: string;
}

const longDates = new Map<string, Intl.DateTimeFormat>();

/** `3 Desember 2026`: a date as an Indonesian letter writes it, in the school's time zone. */
export function indonesianDate(iso: string, timeZone: string): string {
  let format = longDates.get(timeZone);
  if (!format) longDates.set(timeZone, (format = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone })));
  return format.format(new Date(iso));
}

function identity(applicant: ApplicantDetails, timeZone: string): string[] {
  const lines = [`Nama: ${applicant.name}`];
  if (applicant.nisn) lines.push(`NISN: ${applicant.nisn}`);
  if (applicant.nip) lines.push(`NIP: ${applicant.nip}`);
  if (applicant.className) lines.push(`Kelas: ${applicant.className}`);
  if (applicant.birthPlace && applicant.birthDate) {
    lines.push(`Tempat, tanggal lahir: ${applicant.birthPlace}, ${indonesianDate(`${applicant.birthDate}T12:00:00Z`, 'UTC')}`);
  }
  return lines.map((line) => `    ${line}`);
}

function period(input: ContentInput): string {
  const begin = indonesianDate(input.beginDate!, input.timeZone);
  const end = indonesianDate(input.endDate!, input.timeZone);
  return begin === end ? `pada tanggal ${begin}` : `pada tanggal ${begin} sampai dengan ${end}`;
}

/**
 * The body of an approved letter, in Indonesian, from a template per type. Rendered once, at
 * approval, and stored: what was approved is what the letter says, even if a record changes later.
 */
export function renderLetterContent(input: ContentInput): string {
  const who = identity(input.applicant, input.timeZone).join('\n');
  const reason = input.reason ? `\nKeterangan: ${input.reason}` : '';
  const head = `Kepala ${input.schoolName} dengan ini menerangkan bahwa:\n${who}\n`;
  const closing = '\nDemikian surat ini dibuat untuk dipergunakan sebagaimana mestinya.';
  switch (input.letterType) {
    case 'DISPENSATION':
      return `${head}diberikan dispensasi untuk tidak mengikuti kegiatan belajar mengajar ${period(input)} karena ${input.subject}.${reason}\n${closing}`;
    case 'ASSIGNMENT':
      return `Kepala ${input.schoolName} dengan ini menugaskan:\n${who}\nuntuk ${input.subject} ${period(input)}.${reason}\n${closing}`;
    case 'RECOMMENDATION':
      return `${head}adalah siswa ${input.schoolName} yang kami rekomendasikan untuk ${input.subject}.${reason}\n${closing}`;
    case 'ACTIVE_STATEMENT':
      return `${head}adalah benar siswa aktif ${input.schoolName} pada tahun pelajaran ${input.academicYear}. Surat keterangan ini dibuat untuk keperluan ${input.subject}.${reason}\n${closing}`;
  }
}
