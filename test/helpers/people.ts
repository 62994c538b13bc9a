/** Complete, valid person bodies with unique emails and identity numbers; overrides win. */
let sequence = 0;

function next(): number {
  sequence += 1;
  return sequence;
}

const pad = (n: number, length: number) => String(n).padStart(length, '0');

export function fullStudent(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    name: `Siswa ${n}`,
    email: `siswa${n}.${process.pid}@siswa.sch.id`,
    gender: 'FEMALE',
    religion: 'ISLAM',
    birthPlace: 'Samarinda',
    birthDate: '2009-08-17',
    nik: `6472${pad(n, 12)}`,
    phoneNumber: '+62 812-5555-0101',
    bloodType: 'O',
    address: {
      street: 'Jl. Juanda No. 1', rt: '003', rw: '012', hamlet: null, subDistrict: 'Air Hitam', district: 'Samarinda Ulu',
      city: 'Samarinda', province: 'Kalimantan Timur', postalCode: '75124', country: 'Indonesia',
      location: { type: 'Point', coordinates: [117.1536, -0.5022] },
    },
    nisn: pad(n, 10),
    nipd: `2425${pad(n, 4)}`,
    specialNeeds: [],
    residenceType: 'WITH_PARENTS',
    transportationMode: 'MOTORCYCLE',
    distance: 3500,
    travelTime: 15,
    birthOrder: 1,
    numberOfSiblings: 2,
    height: 158,
    weight: 48,
    headCircumference: 54,
    hobby: 'Membaca',
    landline: '0541-123456',
    familyCardNumber: `6472${pad(n + 500000, 12)}`,
    birthCertificateNumber: `AL-${n}`,
    father: {
      name: 'Budi Santoso', nik: `6472${pad(n + 100000, 12)}`, birthPlace: 'Balikpapan', birthDate: '1978-04-02', birthYear: 1978,
      education: 'BACHELOR', occupation: 'CIVIL_SERVANT', income: 'FROM_2M_TO_4999K', phoneNumber: '081255550102', specialNeeds: [],
    },
    mother: { name: 'Siti Aminah', birthYear: 1981, education: 'SENIOR_HIGH', occupation: 'SMALL_TRADER', income: 'FROM_1M_TO_1999K' },
    guardian: null,
    previousSchool: 'SMP Negeri 1 Samarinda',
    welfare: { kpsRecipient: false, kipRecipient: true, kipNumber: 'KIP123456', kipName: 'Siswa', pipEligible: true, pipReason: 'Pemegang KIP' },
    bankAccount: { bank: 'BRI', number: '0123-01-000123-50-1', holderName: 'Siswa' },
    ...overrides,
  };
}

/** A NIP that agrees with the birth date and gender given (rules.ts checks each part). */
export function nipFor(birthDate: string, gender: 'MALE' | 'FEMALE', sequenceNumber: number): string {
  return `${birthDate.replace(/-/g, '')}201001${gender === 'MALE' ? '1' : '2'}${pad(sequenceNumber % 1000, 3)}`;
}

export function fullEmployee(overrides: Record<string, unknown> = {}) {
  const n = next();
  const birthDate = (overrides.birthDate as string | undefined) ?? '1985-06-15';
  const gender = (overrides.gender as 'MALE' | 'FEMALE' | undefined) ?? 'MALE';
  return {
    name: `Pegawai ${n}`,
    email: `pegawai${n}.${process.pid}@sman1samarinda.sch.id`,
    gender,
    religion: 'PROTESTANT',
    birthPlace: 'Tenggarong',
    birthDate,
    nik: `6402${pad(n, 12)}`,
    phoneNumber: '081255550199',
    bloodType: 'A',
    address: { city: 'Samarinda', province: 'Kalimantan Timur' },
    nip: nipFor(birthDate, gender, n),
    employmentStatus: 'PNS',
    position: 'Guru Mata Pelajaran',
    educationHistory: [{ level: 'BACHELOR', institution: 'Universitas Mulawarman', major: 'Pendidikan Matematika', graduationYear: 2008 }],
    startDate: '2010-01-01',
    ...overrides,
  };
}
