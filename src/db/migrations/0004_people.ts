import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { columnTypes } from './types.js';
import { addTableVersions, createTableChangedFunction } from './table-versions.js';

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

  // Lists show live records only, so every list index is partial (WHERE deletedAt IS NULL) and
  // carries the id, the tie-breaker of every sort: a page is then an index walk. A filter's index
  // continues with the default sort (name), so a filtered first page is an index walk too. Lists
  // with deleted records (an administrator's, rare) do without. Each also ends with deletedAt:
  // SQLite re-checks the WHERE term against the row unless the index holds the column, and with
  // it the walk never touches the (large) rows: a count or an offset of 40,000 costs ~1 ms, not ~4.
  const indexes: Record<string, { sorts: string[]; filters: string[] }> = {
    student: {
      sorts: ['name', 'birthDate', 'createdAt', 'nisn', 'nipd', 'nik'],
      filters: [
        'status', 'gender', 'religion', 'bloodType', 'residenceType', 'transportationMode',
        'fatherEducation', 'fatherOccupation', 'fatherIncome', 'motherEducation', 'motherOccupation', 'motherIncome',
      ],
    },
    teacher: { sorts: ['name', 'birthDate', 'createdAt', 'nip', 'nuptk', 'nik'], filters: ['gender', 'religion', 'bloodType', 'employmentStatus'] },
    staff: { sorts: ['name', 'birthDate', 'createdAt', 'nip', 'nik'], filters: ['gender', 'religion', 'bloodType', 'employmentStatus'] },
  };
  for (const [table, { sorts, filters }] of Object.entries(indexes)) {
    const live = (name: string, columns: string[]) =>
      db.schema.createIndex(name).on(table).columns([...columns, 'deletedAt']).where(sql.ref('deletedAt'), 'is', null).execute();
    for (const column of sorts) await live(`${table}_live_${column}_idx`, [column, 'id']);
    for (const column of filters) await live(`${table}_live_${column}_name_idx`, [column, 'name', 'id']);
  }

  // Student records are large (address, parents…: a few KB each), so statistics read indexes
  // instead of the table: one with every category counted (grouped together in one pass), and one
  // per measure, each after the status and with the id (for the class filters) and deletedAt.
  for (const columns of [['gender', 'religion', 'transportationMode', 'fatherIncome', 'motherIncome'], ['height'], ['weight'], ['birthDate']]) {
    await db.schema
      .createIndex(`student_stats_${columns[0]}_idx`)
      .on('student')
      .columns(['status', ...columns, 'id', 'deletedAt'])
      .where(sql.ref('deletedAt'), 'is', null)
      .execute();
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

  // Each person table gets a version that any change to it bumps (as 'users' in 0003), so lists
  // can be cached without ever being stale.
  await createTableChangedFunction(db);
  await addTableVersions(db, PEOPLE);
}

const PEOPLE = ['student', 'teacher', 'staff'] as const;

export async function down(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).postgres) await sql`DROP FUNCTION IF EXISTS core_table_changed() CASCADE`.execute(db);
  await db.deleteFrom('directory_version').where('name', 'in', [...PEOPLE]).execute();
  for (const table of ['person_search', 'staff', 'teacher', 'student']) await db.schema.dropTable(table).execute();
}
