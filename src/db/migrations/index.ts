import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as roleHistory from './0002_role_history.js';
import * as directoryVersion from './0003_directory_version.js';
import * as people from './0004_people.js';
import * as classes from './0005_classes.js';
import * as summaryIndexes from './0006_summary_indexes.js';
import * as files from './0007_files.js';
import * as letters from './0008_letters.js';
import * as studentImports from './0009_student_imports.js';

/** Every migration, in order. One set for SQLite and PostgreSQL; names never change once released. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_role_history': roleHistory,
  '0003_directory_version': directoryVersion,
  '0004_people': people,
  '0005_classes': classes,
  '0006_summary_indexes': summaryIndexes,
  '0007_files': files,
  '0008_letters': letters,
  '0009_student_imports': studentImports,
};
