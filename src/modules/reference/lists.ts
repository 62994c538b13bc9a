import { Type } from '@sinclair/typebox';
/**
 * Reference lists (contract §6, value lists from Dapodik). Core stores the English value; `code`
 * is the Dapodik code and `label` the Indonesian label, so clients can build dropdowns and the
 * import can accept any of the three.
 */
export interface ReferenceItem {
  value: string;
  code: string;
  label: string;
}

function list<const V extends string>(items: readonly (readonly [V, string, string])[]) {
  return items.map(([value, code, label]) => ({ value, code, label })) as { value: V; code: string; label: string }[];
}

export const RELIGION = list([
  ['ISLAM', '1', 'Islam'],
  ['PROTESTANT', '2', 'Kristen'],
  ['CATHOLIC', '3', 'Katholik'],
  ['HINDU', '4', 'Hindu'],
  ['BUDDHIST', '5', 'Budha'],
  ['CONFUCIAN', '6', 'Khonghucu'],
  ['INDIGENOUS_BELIEF', '7', 'Kepercayaan kpd Tuhan YME'],
  ['OTHER', '99', 'Lainnya'],
] as const);

export const GENDER = list([
  ['MALE', 'L', 'Laki-laki'],
  ['FEMALE', 'P', 'Perempuan'],
] as const);

export const BLOOD_TYPE = list([
  ['A', 'A', 'A'],
  ['B', 'B', 'B'],
  ['AB', 'AB', 'AB'],
  ['O', 'O', 'O'],
  ['UNKNOWN', '-', 'Tidak diketahui'],
] as const);

export const RESIDENCE_TYPE = list([
  ['WITH_PARENTS', '1', 'Bersama orang tua'],
  ['GUARDIAN', '2', 'Wali'],
  ['BOARDING_HOUSE', '3', 'Kost'],
  ['DORMITORY', '4', 'Asrama'],
  ['ORPHANAGE', '5', 'Panti asuhan'],
  ['ISLAMIC_BOARDING_SCHOOL', '10', 'Pesantren'],
  ['OTHER', '99', 'Lainnya'],
] as const);

export const TRANSPORTATION_MODE = list([
  ['WALKING', '1', 'Jalan kaki'],
  ['PUBLIC_TRANSPORT', '3', 'Angkutan umum/bus'],
  ['SHUTTLE', '4', 'Mobil/bus antar jemput'],
  ['TRAIN', '5', 'Kereta api'],
  ['MOTORCYCLE_TAXI', '6', 'Ojek'],
  ['TRADITIONAL_VEHICLE', '7', 'Andong/bendi/sado/dokar/delman/becak'],
  ['FERRY', '8', 'Perahu penyeberangan/rakit/getek'],
  ['HORSE', '11', 'Kuda'],
  ['BICYCLE', '12', 'Sepeda'],
  ['MOTORCYCLE', '13', 'Sepeda motor'],
  ['PRIVATE_CAR', '14', 'Mobil pribadi'],
  ['OTHER', '99', 'Lainnya'],
] as const);

export const EDUCATION = list([
  ['NONE', '0', 'Tidak sekolah'],
  ['PAUD', '1', 'PAUD'],
  ['KINDERGARTEN', '2', 'TK / sederajat'],
  ['PRIMARY_DROPOUT', '3', 'Putus SD'],
  ['PRIMARY', '4', 'SD / sederajat'],
  ['JUNIOR_HIGH', '5', 'SMP / sederajat'],
  ['SENIOR_HIGH', '6', 'SMA / sederajat'],
  ['PACKAGE_A', '7', 'Paket A'],
  ['PACKAGE_B', '8', 'Paket B'],
  ['PACKAGE_C', '9', 'Paket C'],
  ['D1', '20', 'D1'],
  ['D2', '21', 'D2'],
  ['D3', '22', 'D3'],
  ['D4', '23', 'D4'],
  ['BACHELOR', '30', 'S1'],
  ['PROFESSIONAL', '31', 'Profesi'],
  ['SPECIALIST_1', '32', 'Sp-1'],
  ['MASTER', '35', 'S2'],
  ['APPLIED_MASTER', '36', 'S2 Terapan'],
  ['SPECIALIST_2', '37', 'Sp-2'],
  ['DOCTORATE', '40', 'S3'],
  ['APPLIED_DOCTORATE', '41', 'S3 Terapan'],
  ['NON_FORMAL', '90', 'Non formal'],
  ['INFORMAL', '91', 'Informal'],
  ['OTHER', '99', 'Lainnya'],
] as const);

export const OCCUPATION = list([
  ['UNEMPLOYED', '1', 'Tidak bekerja'],
  ['FISHERMAN', '2', 'Nelayan'],
  ['FARMER', '3', 'Petani'],
  ['BREEDER', '4', 'Peternak'],
  ['CIVIL_SERVANT', '5', 'PNS/TNI/Polri'],
  ['PRIVATE_EMPLOYEE', '6', 'Karyawan Swasta'],
  ['SMALL_TRADER', '7', 'Pedagang Kecil'],
  ['LARGE_TRADER', '8', 'Pedagang Besar'],
  ['SELF_EMPLOYED', '9', 'Wiraswasta'],
  ['ENTREPRENEUR', '10', 'Wirausaha'],
  ['LABORER', '11', 'Buruh'],
  ['RETIRED', '12', 'Pensiunan'],
  ['MIGRANT_WORKER', '13', 'Tenaga Kerja Indonesia'],
  ['STATE_ENTERPRISE_EMPLOYEE', '14', 'Karyawan BUMN'],
  ['NOT_APPLICABLE', '90', 'Tidak dapat diterapkan'],
  ['DECEASED', '98', 'Sudah Meninggal'],
  ['OTHER', '99', 'Lainnya'],
] as const);

export const INCOME_BRACKET = list([
  ['BELOW_500K', '11', 'Kurang dari Rp. 500.000'],
  ['FROM_500K_TO_999K', '12', 'Rp. 500.000 - Rp. 999.999'],
  ['FROM_1M_TO_1999K', '13', 'Rp. 1.000.000 - Rp. 1.999.999'],
  ['FROM_2M_TO_4999K', '14', 'Rp. 2.000.000 - Rp. 4.999.999'],
  ['FROM_5M_TO_20M', '15', 'Rp. 5.000.000 - Rp. 20.000.000'],
  ['ABOVE_20M', '16', 'Lebih dari Rp. 20.000.000'],
  ['NO_INCOME', '99', 'Tidak Berpenghasilan'],
] as const);

export const SPECIAL_NEED = list([
  ['NONE', '0', 'Tidak ada'],
  ['BLIND', 'A', 'Tuna netra'],
  ['DEAF', 'B', 'Tuna rungu'],
  ['MILD_INTELLECTUAL', 'C', 'Tuna grahita ringan'],
  ['MODERATE_INTELLECTUAL', 'C1', 'Tuna grahita sedang'],
  ['MILD_PHYSICAL', 'D', 'Tuna daksa ringan'],
  ['MODERATE_PHYSICAL', 'D1', 'Tuna daksa sedang'],
  ['EMOTIONAL_BEHAVIORAL', 'E', 'Tuna laras'],
  ['SPEECH', 'F', 'Tuna wicara'],
  ['LEARNING_DIFFICULTY', 'K', 'Kesulitan belajar'],
  ['DOWN_SYNDROME', 'P', 'Down syndrome'],
  ['AUTISM', 'Q', 'Autis'],
] as const);

// Dapodik's staffing statuses, folded into the contract's six values (both honorary kinds are HONORER).
export const EMPLOYMENT_STATUS = list([
  ['PNS', 'PNS', 'PNS'],
  ['PPPK', 'PPPK', 'PPPK'],
  ['GTY', 'GTY/PTY', 'GTY/PTY'],
  ['GTT', 'GTT/PTT', 'GTT/PTT'],
  ['HONORER', 'HONOR', 'Guru/Tenaga Honor Sekolah'],
  ['OTHER', 'LAINNYA', 'Lainnya'],
] as const);

export const USER_TYPE = list([
  ['STUDENT', 'SISWA', 'Siswa'],
  ['TEACHER', 'GURU', 'Guru'],
  ['STAFF', 'TENDIK', 'Tenaga Kependidikan'],
  ['ADMIN', 'ADMIN', 'Administrator'],
] as const);

export const STUDENT_STATUS = list([
  ['ACTIVE', 'AKTIF', 'Aktif'],
  ['GRADUATED', 'LULUS', 'Lulus'],
  ['TRANSFERRED', 'MUTASI', 'Mutasi'],
  ['DROPPED_OUT', 'PUTUS_SEKOLAH', 'Putus sekolah'],
] as const);

/** Letter types; the code is the default code in letter numbers (LETTER_CODES overrides it). */
export const LETTER_TYPE = list([
  ['DISPENSATION', 'DISP', 'Surat Dispensasi'],
  ['RECOMMENDATION', 'REK', 'Surat Rekomendasi'],
  ['ACTIVE_STATEMENT', 'SKA', 'Surat Keterangan Aktif'],
  ['ASSIGNMENT', 'ST', 'Surat Tugas'],
] as const);

export const LETTER_STATUS = list([
  ['PENDING', 'MENUNGGU', 'Menunggu'],
  ['APPROVED', 'DISETUJUI', 'Disetujui'],
  ['REJECTED', 'DITOLAK', 'Ditolak'],
  ['CANCELLED', 'DIBATALKAN', 'Dibatalkan'],
] as const);

export const REFERENCE_LISTS = {
  religion: RELIGION,
  gender: GENDER,
  bloodType: BLOOD_TYPE,
  residenceType: RESIDENCE_TYPE,
  transportationMode: TRANSPORTATION_MODE,
  education: EDUCATION,
  occupation: OCCUPATION,
  incomeBracket: INCOME_BRACKET,
  specialNeed: SPECIAL_NEED,
  employmentStatus: EMPLOYMENT_STATUS,
  userType: USER_TYPE,
  studentStatus: STUDENT_STATUS,
  letterType: LETTER_TYPE,
  letterStatus: LETTER_STATUS,
} as const;

export function valuesOf<V extends string>(items: readonly { value: V }[]): V[] {
  return items.map((i) => i.value);
}

/** A string schema limited to a list's values, typed as their union (one `enum` in OpenAPI). */
export function enumSchema<V extends string>(items: readonly { value: V }[], options: { $id?: string; description?: string } = {}) {
  return Type.Unsafe<V>({ type: 'string', enum: valuesOf(items), ...options });
}
