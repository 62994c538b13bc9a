/**
 * Realistic, reproducible person records for the benchmark school: Indonesian names, Dapodik
 * codes with plausible frequencies, nested address and parents. A fixed-seed generator makes every
 * run seed the same school.
 */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_MALE = ['Muhammad', 'Ahmad', 'Rizky', 'Fajar', 'Dimas', 'Bayu', 'Aditya', 'Reza', 'Hendra', 'Agus', 'Yusuf', 'Ilham', 'Rafi', 'Andi', 'Galih', 'Bagas', 'Fadli', 'Arif', 'Dwi', 'Eko'];
const FIRST_FEMALE = ['Siti', 'Nur', 'Putri', 'Aisyah', 'Dewi', 'Ayu', 'Rina', 'Citra', 'Fitri', 'Indah', 'Lestari', 'Nabila', 'Salsabila', 'Zahra', 'Anisa', 'Wulan', 'Intan', 'Maya', 'Dian', 'Ratna'];
const MIDDLE = ['', '', 'Dwi', 'Tri', 'Nur', 'Eka', 'Aulia', 'Prasetyo', 'Kurnia', 'Rahma', 'Adi', 'Sri'];
const LAST = ['Saputra', 'Pratama', 'Wijaya', 'Hidayat', 'Santoso', 'Kusuma', 'Ramadhani', 'Nugroho', 'Lestari', 'Rahmawati', 'Setiawan', 'Permana', 'Anggraini', 'Maharani', 'Syahputra', 'Hakim', 'Firmansyah', 'Wahyudi', 'Utami', 'Handayani', 'Gunawan', 'Siregar', 'Nasution', 'Daeng', 'Aritonang'];

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** Weighted choice: [value, weight] pairs. */
function weighted<T>(rnd: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [value, w] of items) if ((r -= w) < 0) return value;
  return items[items.length - 1]![0];
}

const pad = (n: number, length: number) => String(n).padStart(length, '0');
const date = (year: number, rnd: () => number) => `${year}-${pad(1 + Math.floor(rnd() * 12), 2)}-${pad(1 + Math.floor(rnd() * 28), 2)}`;

export function personName(rnd: () => number, gender: 'MALE' | 'FEMALE'): string {
  return [pick(rnd, gender === 'MALE' ? FIRST_MALE : FIRST_FEMALE), pick(rnd, MIDDLE), pick(rnd, LAST)].filter(Boolean).join(' ');
}

const RELIGIONS = [['ISLAM', 84], ['PROTESTANT', 8], ['CATHOLIC', 4], ['HINDU', 1], ['BUDDHIST', 2], ['CONFUCIAN', 0.5], ['OTHER', 0.5]] as const;
const TRANSPORT = [['MOTORCYCLE', 55], ['WALKING', 10], ['PUBLIC_TRANSPORT', 8], ['SHUTTLE', 5], ['MOTORCYCLE_TAXI', 7], ['BICYCLE', 5], ['PRIVATE_CAR', 8], ['OTHER', 2]] as const;
const INCOME = [['BELOW_500K', 10], ['FROM_500K_TO_999K', 15], ['FROM_1M_TO_1999K', 25], ['FROM_2M_TO_4999K', 30], ['FROM_5M_TO_20M', 12], ['ABOVE_20M', 2], ['NO_INCOME', 6]] as const;
const EDUCATION = [['PRIMARY', 15], ['JUNIOR_HIGH', 20], ['SENIOR_HIGH', 40], ['D3', 8], ['BACHELOR', 15], ['MASTER', 2]] as const;
const OCCUPATION = [['FARMER', 10], ['FISHERMAN', 3], ['CIVIL_SERVANT', 15], ['PRIVATE_EMPLOYEE', 25], ['SMALL_TRADER', 12], ['SELF_EMPLOYED', 15], ['LABORER', 12], ['RETIRED', 3], ['UNEMPLOYED', 5]] as const;

function parent(rnd: () => number, gender: 'MALE' | 'FEMALE', i: number, offset: number) {
  const birthYear = 1965 + Math.floor(rnd() * 20);
  return {
    name: personName(rnd, gender),
    nik: `6472${pad(i + offset, 12)}`,
    birthPlace: pick(rnd, ['Samarinda', 'Balikpapan', 'Tenggarong', 'Bontang', 'Makassar', 'Surabaya']),
    birthYear,
    education: weighted(rnd, EDUCATION),
    occupation: weighted(rnd, OCCUPATION),
    income: weighted(rnd, INCOME),
    phoneNumber: `0812${pad(Math.floor(rnd() * 1e8), 8)}`,
    specialNeeds: [],
  };
}

function address(rnd: () => number) {
  return {
    street: `Jl. ${pick(rnd, ['Juanda', 'Pahlawan', 'Slamet Riyadi', 'P. Antasari', 'Kadrie Oening', 'M. Yamin'])} No. ${1 + Math.floor(rnd() * 200)}`,
    rt: pad(1 + Math.floor(rnd() * 40), 3),
    rw: pad(1 + Math.floor(rnd() * 15), 3),
    hamlet: null,
    subDistrict: pick(rnd, ['Air Hitam', 'Sidodadi', 'Dadi Mulya', 'Gunung Kelua', 'Sempaja Selatan']),
    district: pick(rnd, ['Samarinda Ulu', 'Samarinda Utara', 'Sungai Kunjang', 'Samarinda Ilir']),
    city: 'Samarinda',
    province: 'Kalimantan Timur',
    postalCode: pick(rnd, ['75124', '75117', '75119', '75243']),
    country: 'Indonesia',
    location: { type: 'Point', coordinates: [117.1 + rnd() * 0.1, -0.55 + rnd() * 0.1] },
  };
}

/** A student's record fields (API names) for the i-th student. */
export function studentFields(rnd: () => number, i: number) {
  const gender = rnd() < 0.5 ? ('MALE' as const) : ('FEMALE' as const);
  const father = parent(rnd, 'MALE', i, 10_000_000);
  const mother = parent(rnd, 'FEMALE', i, 20_000_000);
  return {
    name: personName(rnd, gender),
    gender,
    religion: weighted(rnd, RELIGIONS),
    birthPlace: 'Samarinda',
    birthDate: date(2007 + Math.floor(rnd() * 4), rnd),
    nik: `6472${pad(i, 12)}`,
    phoneNumber: `0813${pad(Math.floor(rnd() * 1e8), 8)}`,
    bloodType: pick(rnd, ['A', 'B', 'AB', 'O', 'UNKNOWN'] as const),
    address: address(rnd),
    nisn: pad(i + 1, 10),
    nipd: `${2300 + Math.floor(i / 12_500)}${pad(i, 6)}`,
    status: rnd() < 0.97 ? 'ACTIVE' : weighted(rnd, [['GRADUATED', 2], ['TRANSFERRED', 1], ['DROPPED_OUT', 0.3]] as const),
    specialNeeds: rnd() < 0.01 ? ['LEARNING_DIFFICULTY'] : [],
    residenceType: weighted(rnd, [['WITH_PARENTS', 90], ['GUARDIAN', 5], ['BOARDING_HOUSE', 4], ['OTHER', 1]] as const),
    transportationMode: weighted(rnd, TRANSPORT),
    distance: Math.round(300 + rnd() * 15_000),
    travelTime: Math.round(5 + rnd() * 55),
    birthOrder: 1 + Math.floor(rnd() * 4),
    numberOfSiblings: Math.floor(rnd() * 5),
    height: Math.round(145 + rnd() * 35),
    weight: Math.round(38 + rnd() * 40),
    headCircumference: Math.round(52 + rnd() * 6),
    hobby: pick(rnd, ['Olahraga', 'Kesenian', 'Membaca', 'Menulis', 'Traveling', 'Lainnya']),
    landline: null,
    skhun: null,
    familyCardNumber: `6472${pad(i + 30_000_000, 12)}`,
    birthCertificateNumber: `6472-LT-${pad(i, 8)}`,
    previousSchool: `SMP Negeri ${1 + Math.floor(rnd() * 40)} Samarinda`,
    nationalExamNumber: null,
    diplomaSerialNumber: null,
    father,
    mother,
    guardian: null,
    welfare: { kpsRecipient: false, kipRecipient: rnd() < 0.15, kipNumber: null, kipName: null, kksNumber: null, pipEligible: rnd() < 0.2, pipReason: null },
    bankAccount: null,
  };
}

/** A teacher's or staff member's record fields. */
export function employeeFields(rnd: () => number, i: number, teacher: boolean) {
  const gender = rnd() < 0.55 ? ('FEMALE' as const) : ('MALE' as const);
  const birthDate = date(1965 + Math.floor(rnd() * 33), rnd);
  const status = weighted(rnd, [['PNS', 55], ['PPPK', 15], ['HONORER', 20], ['GTT', 5], ['GTY', 5]] as const);
  const civilServant = status === 'PNS' || status === 'PPPK';
  return {
    name: personName(rnd, gender),
    gender,
    religion: weighted(rnd, RELIGIONS),
    birthPlace: 'Samarinda',
    birthDate,
    nik: `6472${pad(i + 40_000_000, 12)}`,
    phoneNumber: `0811${pad(Math.floor(rnd() * 1e8), 8)}`,
    bloodType: pick(rnd, ['A', 'B', 'AB', 'O'] as const),
    address: address(rnd),
    nip: civilServant ? `${birthDate.replace(/-/g, '')}${2000 + Math.floor(rnd() * 20)}${pad(1 + Math.floor(rnd() * 12), 2)}${gender === 'MALE' ? 1 : 2}${pad(i % 1000, 3)}` : null,
    employmentStatus: status,
    position: teacher ? 'Guru Mata Pelajaran' : pick(rnd, ['Tata Usaha', 'Pustakawan', 'Laboran', 'Bendahara']),
    educationHistory: [{ level: teacher ? 'BACHELOR' : 'SENIOR_HIGH', institution: 'Universitas Mulawarman', major: null, graduationYear: Number(birthDate.slice(0, 4)) + 23 }],
    startDate: date(Number(birthDate.slice(0, 4)) + 25, rnd),
    ...(teacher ? { nuptk: civilServant ? pad(i + 1, 16) : null, subjects: [pick(rnd, ['Matematika', 'Bahasa Indonesia', 'Biologi', 'Fisika', 'Kimia', 'Sejarah', 'Ekonomi'])] } : {}),
  };
}
