import { api, call, result } from '../api/client';
import type { PersonKind } from './people';

/**
 * The five calls of each kind of person. The three kinds share one form and one list, so their
 * bodies are built from the form's field list and checked by Core (the refusal names each field).
 */
const getStudent = (id: string) => result(api.GET('/api/students/{id}', { params: { path: { id } } }));
const getTeacher = (id: string) => result(api.GET('/api/teachers/{id}', { params: { path: { id } } }));
const getStaff = (id: string) => result(api.GET('/api/staff/{id}', { params: { path: { id } } }));

export type Person = Awaited<ReturnType<typeof getStudent>> | Awaited<ReturnType<typeof getTeacher>> | Awaited<ReturnType<typeof getStaff>>;
export type PersonBody = Record<string, unknown>;

export function getPerson(kind: PersonKind, id: string): Promise<Person> {
  return kind === 'students' ? getStudent(id) : kind === 'teachers' ? getTeacher(id) : getStaff(id);
}

export async function createPerson(kind: PersonKind, body: PersonBody): Promise<{ id: string; temporaryPassword?: string | undefined }> {
  const request = { body: body as never };
  if (kind === 'students') {
    const created = await result(api.POST('/api/students', request));
    return { id: created.student.id, temporaryPassword: created.temporaryPassword };
  }
  if (kind === 'teachers') {
    const created = await result(api.POST('/api/teachers', request));
    return { id: created.teacher.id, temporaryPassword: created.temporaryPassword };
  }
  const created = await result(api.POST('/api/staff', request));
  return { id: created.staff.id, temporaryPassword: created.temporaryPassword };
}

export function updatePerson(kind: PersonKind, id: string, body: PersonBody): Promise<Person> {
  const request = { params: { path: { id } }, body: body as never };
  if (kind === 'students') return result(api.PATCH('/api/students/{id}', request));
  if (kind === 'teachers') return result(api.PATCH('/api/teachers/{id}', request));
  return result(api.PATCH('/api/staff/{id}', request));
}

export async function deletePerson(kind: PersonKind, id: string): Promise<void> {
  const path = { params: { path: { id } } };
  if (kind === 'students') await call(api.DELETE('/api/students/{id}', path));
  else if (kind === 'teachers') await call(api.DELETE('/api/teachers/{id}', path));
  else await call(api.DELETE('/api/staff/{id}', path));
}

export async function restorePerson(kind: PersonKind, id: string): Promise<void> {
  const path = { params: { path: { id } } };
  if (kind === 'students') await call(api.POST('/api/students/{id}/restore', path));
  else if (kind === 'teachers') await call(api.POST('/api/teachers/{id}/restore', path));
  else await call(api.POST('/api/staff/{id}/restore', path));
}

export interface PeopleQuery {
  page: number;
  limit: number;
  search?: string;
  sort?: string;
  includeDeleted?: boolean;
  [filter: string]: unknown;
}

export interface PeoplePage {
  result: Person[];
  meta: { page?: number; totalPages?: number; total?: number };
}

export function listPeople(kind: PersonKind, query: PeopleQuery): Promise<PeoplePage> {
  const request = { params: { query: query as never } };
  // A reader without students:read gets the directory projection; the dashboard only lists for readers.
  if (kind === 'students') return call(api.GET('/api/students', request)) as Promise<PeoplePage>;
  if (kind === 'teachers') return call(api.GET('/api/teachers', request));
  return call(api.GET('/api/staff', request));
}
