import { useMutation, useQuery, useQueryClient, keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, compact, pageOf, result } from '../api/client';
import { ChoiceFilter, SearchFilter } from '../components/choices';
import { DataTable, ErrorMessage, Notice, PageTitle, Pagination, type Column, Filter } from '../components/ui';
import { useListQuery } from '../components/use-list-query';
import { useI18n } from '../i18n/i18n';
import { useLabel, useOptions, type ListName } from '../reference';
import { useCan, useSchool } from '../session';
import { useFieldLabel } from './field-labels';
import { PERMISSION, type PersonKind } from './people';
import { deletePerson, listPeople, restorePerson, type Person } from './person-api';

/** The filters each list offers (query parameters of its GET), with the reference list behind each. */
const FILTERS: Record<PersonKind, [string, ListName][]> = {
  students: [['status', 'studentStatus'], ['gender', 'gender'], ['religion', 'religion'], ['transportationMode', 'transportationMode']],
  teachers: [['gender', 'gender'], ['religion', 'religion'], ['employmentStatus', 'employmentStatus']],
  staff: [['gender', 'gender'], ['religion', 'religion'], ['employmentStatus', 'employmentStatus']],
};

const SORTS: Record<PersonKind, string[]> = {
  students: ['name', 'nisn', 'birthDate', 'createdAt'],
  teachers: ['name', 'nip', 'birthDate', 'createdAt'],
  staff: ['name', 'nip', 'birthDate', 'createdAt'],
};

export default function PeopleListPage({ kind }: { kind: PersonKind }) {
  const { t, format } = useI18n();
  const can = useCan();
  const label = useLabel();
  const options = useOptions();
  const fieldLabel = useFieldLabel();
  const queryClient = useQueryClient();
  const { data: school } = useSchool();
  const filterNames = FILTERS[kind].map(([name]) => name);
  const [query, setQuery] = useListQuery({
    page: '1',
    limit: '20',
    search: '',
    sort: 'name',
    includeDeleted: '',
    classId: '',
    ...Object.fromEntries(filterNames.map((name) => [name, ''])),
  });

  const classes = useQuery({
    queryKey: ['classes', 'options', school?.academicYear],
    queryFn: () => result(api.GET('/api/classes', { params: { query: { academicYear: school!.academicYear, page: 1, limit: 100, sort: 'name' } } })),
    enabled: kind === 'students' && school !== undefined && can('classes:read'),
  });

  const list = useQuery({
    queryKey: [kind, 'list', query],
    queryFn: () =>
      listPeople(
        kind,
        compact({
          ...query,
          page: Number(query.page),
          limit: Number(query.limit),
          includeDeleted: query.includeDeleted === 'true' ? true : undefined,
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: async ({ person, action }: { person: Person; action: 'delete' | 'restore' }) => {
      if (action === 'delete') await deletePerson(kind, person.id);
      else await restorePerson(kind, person.id);
      return { person, action };
    },
    onSuccess: async ({ person, action }) => {
      setNotice(t(action === 'delete' ? 'people.deleted' : 'people.restored', { name: person.name }));
      await queryClient.invalidateQueries({ queryKey: [kind] });
    },
  });

  const { rows, page, totalPages, total } = pageOf(list.data);
  const columns: Column<Person>[] = [
    { header: fieldLabel('name'), sort: 'name', cell: (p) => <Link to={`/${kind}/${p.id}`}>{p.name}</Link> },
    ...(kind === 'students'
      ? [
          { header: fieldLabel('nisn'), sort: 'nisn', cell: (p: Person) => ('nisn' in p ? (p.nisn ?? '—') : '—') },
          { header: t('person.class'), cell: (p: Person) => ('className' in p ? (p.className ?? '—') : '—') },
          { header: fieldLabel('status'), cell: (p: Person) => ('status' in p ? label('studentStatus', p.status) : '—') },
        ]
      : [
          { header: fieldLabel('nip'), sort: 'nip', cell: (p: Person) => ('nip' in p ? (p.nip ?? '—') : '—') },
          { header: fieldLabel('employmentStatus'), cell: (p: Person) => ('employmentStatus' in p ? label('employmentStatus', p.employmentStatus) : '—') },
          { header: fieldLabel('position'), cell: (p: Person) => ('position' in p ? (p.position ?? '—') : '—') },
        ]),
    { header: fieldLabel('gender'), cell: (p) => label('gender', p.gender) },
    { header: fieldLabel('birthDate'), sort: 'birthDate', cell: (p) => format.date(p.birthDate) },
    {
      header: t('common.actions'),
      cell: (p) =>
        !can(PERMISSION[kind].delete) ? null : p.deletedAt ? (
          <button type="button" onClick={() => change.mutate({ person: p, action: 'restore' })} aria-label={t('people.restoreOne', { name: p.name })}>
            {t('people.restore')}
          </button>
        ) : (
          <button
            type="button"
            className="danger"
            onClick={() => {
              if (window.confirm(t('people.confirmDelete', { name: p.name }))) change.mutate({ person: p, action: 'delete' });
            }}
            aria-label={t('people.deleteOne', { name: p.name })}
          >
            {t('common.delete')}
          </button>
        ),
    },
  ];

  return (
    <>
      <PageTitle
        actions={
          can(PERMISSION[kind].write) ? (
            <Link className="button primary" to={`/${kind}/new`}>
              {t(`people.new.${kind}`)}
            </Link>
          ) : null
        }
      >
        {t(`nav.${kind}`)}
      </PageTitle>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <SearchFilter label={t('list.search')} value={query.search} placeholder={t(`people.searchHint.${kind}`)} onSearch={(search) => setQuery({ search })} />
        {FILTERS[kind].map(([name, list]) => (
          <ChoiceFilter key={name} label={fieldLabel(name)} value={query[name as keyof typeof query]} choices={options(list)} onChange={(value) => setQuery({ [name]: value })} />
        ))}
        {kind === 'students' && classes.data ? (
          <ChoiceFilter label={t('person.class')} value={query.classId} choices={classes.data.map((c) => ({ value: c.id, label: c.name }))} onChange={(classId) => setQuery({ classId })} />
        ) : null}
        <Filter label={t('list.sort')}>
          {(id) => (
            <select id={id} value={query.sort} onChange={(e) => setQuery({ sort: e.target.value })}>
              {SORTS[kind].flatMap((field) => [
                <option key={field} value={field}>
                  {fieldLabel(field)} ↑
                </option>,
                <option key={`-${field}`} value={`-${field}`}>
                  {fieldLabel(field)} ↓
                </option>,
              ])}
            </select>
          )}
        </Filter>
        <Filter label={t('list.perPage')}>
          {(id) => (
            <select id={id} value={query.limit} onChange={(e) => setQuery({ limit: e.target.value })}>
              {['10', '20', '50', '100'].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          )}
        </Filter>
        {can(PERMISSION[kind].delete) ? (
          <label className="check">
            <input type="checkbox" checked={query.includeDeleted === 'true'} onChange={(e) => setQuery({ includeDeleted: e.target.checked ? 'true' : '' })} />{' '}
            {t('people.showDeleted')}
          </label>
        ) : null}
      </form>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorMessage error={list.error ?? change.error} />
      <DataTable caption={t(`nav.${kind}`)} columns={columns} rows={rows} rowKey={(p) => p.id} sort={query.sort} onSort={(sort) => setQuery({ sort })} />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={(n) => setQuery({ page: String(n) })} />
    </>
  );
}
