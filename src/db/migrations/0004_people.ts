import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Person records at Dapodik depth: student, teacher and staff, each 1:1 with a user account.
 *
 * Everything a list filters, sorts or a statistic groups by is a column of its own; nested records
 * (address, parents, welfare, bank account, education history) are JSON. The parents' education,
 * occupation and income are also copied into columns so they can be filtered and counted.
 * Dates without time (birthDate, startDate) are `YYYY-MM-DD` text on both engines.
 *
 * `name` repeats the account's name so that sorting and searching a list is one indexed table;
 * the services keep the two equal. `deletedAt` marks a soft delete.
 *
 * person_search holds one row per word of a person's name and per identity number, lowercased:
 * a search is a prefix range over its index instead of a scan of every record.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  const common = <T extends string>(table: CreateTableBuilder<T, any>) =>
    table
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('userId', 'text', (c) => c.notNull().unique().references('user.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('gender', 'text', (c) => c.notNull())
      .addColumn('religion', 'text')
      .addColumn('birthPlace', 'text')
      .addColumn('birthDate', 'text')
      .addColumn('nik', 'text', (c) => c.unique())
      .addColumn('phoneNumber', 'text')
      .addColumn('bloodType', 'text')
      .addColumn('address', t.json);
  const audit = <T extends string>(table: CreateTableBuilder<T, any>) =>
    table
      .addColumn('deletedAt', t.timestamp)
      .addColumn('createdAt', t.timestamp, (c) => c.notNull())
      .addColumn('updatedAt', t.timestamp, (c) => c.notNull());

  await audit(
    common(db.schema.createTable('student'))
      .addColumn('nisn', 'text', (c) => c.unique())
      .addColumn('nipd', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('ACTIVE'))
      .addColumn('specialNeeds', t.json)
      .addColumn('residenceType', 'text')
      .addColumn('transportationMode', 'text')
      .addColumn('distance', 'integer')
      .addColumn('travelTime', 'integer')
      .addColumn('birthOrder', 'integer')
      .addColumn('numberOfSiblings', 'integer')
      .addColumn('height', 'integer')
      .addColumn('weight', 'integer')
      .addColumn('headCircumference', 'integer')
      .addColumn('hobby', 'text')
      .addColumn('landline', 'text')
      .addColumn('skhun', 'text')
      .addColumn('familyCardNumber', 'text')
      .addColumn('birthCertificateNumber', 'text')
      .addColumn('previousSchool', 'text')
      .addColumn('nationalExamNumber', 'text')
      .addColumn('diplomaSerialNumber', 'text')
      .addColumn('father', t.json)
      .addColumn('mother', t.json)
      .addColumn('guardian', t.json)
      .addColumn('fatherEducation', 'text')
      .addColumn('fatherOccupation', 'text')
      .addColumn('fatherIncome', 'text')
      .addColumn('motherEducation', 'text')
      .addColumn('motherOccupation', 'text')
      .addColumn('motherIncome', 'text')
      .addColumn('welfare', t.json)
      .addColumn('bankAccount', t.json),
  ).execute();

  await audit(
    common(db.schema.createTable('teacher'))
      .addColumn('nip', 'text', (c) => c.unique())
      .addColumn('nuptk', 'text', (c) => c.unique())
      .addColumn('employmentStatus', 'text')
      .addColumn('position', 'text')
      .addColumn('subjects', t.json)
      .addColumn('educationHistory', t.json)
      .addColumn('startDate', 'text'),
  ).execute();

  await audit(
    common(db.schema.createTable('staff'))
      .addColumn('nip', 'text', (c) => c.unique())
      .addColumn('employmentStatus', 'text')
      .addColumn('position', 'text')
      .addColumn('educationHistory', t.json)
      .addColumn('startDate', 'text'),
  ).execute();

  // Each sort ends with the id as a tie-breaker, so each sort index carries it; filters get one each.
  const indexes: Record<string, { sorts: string[]; filters: string[] }> = {
    student: {
      sorts: ['name', 'birthDate', 'createdAt', 'nipd'],
      filters: [
        'status', 'gender', 'religion', 'bloodType', 'residenceType', 'transportationMode',
        'fatherEducation', 'fatherOccupation', 'fatherIncome', 'motherEducation', 'motherOccupation', 'motherIncome',
      ],
    },
    teacher: { sorts: ['name', 'birthDate', 'createdAt'], filters: ['gender', 'religion', 'bloodType', 'employmentStatus'] },
    staff: { sorts: ['name', 'birthDate', 'createdAt'], filters: ['gender', 'religion', 'bloodType', 'employmentStatus'] },
  };
  for (const [table, { sorts, filters }] of Object.entries(indexes)) {
    for (const column of sorts) await db.schema.createIndex(`${table}_${column}_idx`).on(table).columns([column, 'id']).execute();
    for (const column of filters) await db.schema.createIndex(`${table}_${column}_idx`).on(table).column(column).execute();
    await db.schema.createIndex(`${table}_deletedAt_idx`).on(table).column('deletedAt').execute();
  }

  // "C" collation on PostgreSQL: tokens compare byte by byte, as on SQLite, so a prefix is a range.
  await db.schema
    .createTable('person_search')
    .addColumn('token', t.postgres ? sql`text collate "C"` : 'text', (c) => c.notNull())
    .addColumn('personId', 'text', (c) => c.notNull())
    // NAME for words of the name, NUMBER for identity numbers (only names are searchable in the students directory).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_search_pk', ['token', 'personId', 'kind'])
    .execute();
  await db.schema.createIndex('person_search_personId_idx').on('person_search').column('personId').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['person_search', 'staff', 'teacher', 'student']) await db.schema.dropTable(table).execute();
}
