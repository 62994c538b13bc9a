import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, call, compact, pageOf, result } from '../api/client';
import { ChoiceFilter, GRADES, GradeSelect } from '../components/choices';
import { DataTable, ErrorMessage, fieldErrors, FieldShell, Filter, FormPanel, PageTitle, Pagination } from '../components/ui';
import { useListQuery } from '../components/use-list-query';
import { useI18n } from '../i18n/i18n';
import { useCan, useSchool } from '../session';
import { yearChoices } from './academic-years';

export default function ClassesPage() {
  const { t, format } = useI18n();
  const can = useCan();
  const { data: school } = useSchool();
  const current = school?.academicYear ?? '';
  const [query, setQuery] = useListQuery({ page: '1', search: '', sort: 'gradeLevel,name', academicYear: current, gradeLevel: '' });
  const classes = useQuery({
    queryKey: ['classes', 'list', query],
    queryFn: () =>
      call(
        api.GET('/api/classes', {
          params: { query: compact({ ...query, page: Number(query.page), limit: 50, gradeLevel: query.gradeLevel ? Number(query.gradeLevel) : undefined }) },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const { rows, page, totalPages, total } = pageOf(classes.data);

  return (
    <>
      <PageTitle
        actions={
          can('classes:write') ? (
            <Link className="button" to="/classes/rollover">
              {t('classes.rollover')}
            </Link>
          ) : null
        }
      >
        {t('nav.classes')}
      </PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Filter label={t('classes.academicYear')}>
          {(id) => (
            <select id={id} value={query.academicYear} onChange={(e) => setQuery({ academicYear: e.target.value })}>
              {yearChoices(current).map((year) => (
                <option key={year} value={year}>
                  {year}
                  {year === current ? ` (${t('classes.current')})` : ''}
                </option>
              ))}
            </select>
          )}
        </Filter>
        <ChoiceFilter label={t('classes.grade')} value={query.gradeLevel} choices={GRADES} onChange={(gradeLevel) => setQuery({ gradeLevel })} />
      </form>
      <ErrorMessage error={classes.error} />
      <DataTable
        caption={t('classes.listCaption', { year: query.academicYear })}
        rows={rows}
        rowKey={(c) => c.id}
        sort={query.sort}
        onSort={(sort) => setQuery({ sort })}
        columns={[
          { header: t('classes.name'), sort: 'name', cell: (c) => <Link to={`/classes/${c.id}`}>{c.name}</Link> },
          { header: t('classes.grade'), sort: 'gradeLevel', cell: (c) => c.gradeLevel },
          { header: t('classes.homeroom'), cell: (c) => c.homeroomTeacher?.name ?? '—' },
          { header: t('classes.students'), cell: (c) => format.number(c.studentCount) },
          { header: t('classes.male'), cell: (c) => format.number(c.maleCount) },
          { header: t('classes.female'), cell: (c) => format.number(c.femaleCount) },
        ]}
      />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={(n) => setQuery({ page: String(n) })} />
      {can('classes:write') ? <NewClass academicYear={query.academicYear} /> : null}
    </>
  );
}

/** A homeroom-teacher picker over the teachers' list (search by name or NIP). */
export function TeacherSelect({ id, value, onChange, invalid }: { id: string; value: string; onChange(id: string): void; invalid?: boolean }) {
  const { t } = useI18n();
  const teachers = useQuery({
    queryKey: ['teachers', 'options'],
    queryFn: () => result(api.GET('/api/teachers', { params: { query: { page: 1, limit: 100, sort: 'name' } } })),
  });
  return (
    <select id={id} value={value} aria-invalid={invalid} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('common.none')}</option>
      {(teachers.data ?? []).map((teacher) => (
        <option key={teacher.id} value={teacher.id}>
          {teacher.name}
        </option>
      ))}
    </select>
  );
}

function NewClass({ academicYear }: { academicYear: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [gradeLevel, setGrade] = useState('10');
  const [homeroomTeacherId, setTeacher] = useState('');
  const create = useMutation({
    mutationFn: () =>
      result(api.POST('/api/classes', { body: { name, gradeLevel: Number(gradeLevel), academicYear, homeroomTeacherId: homeroomTeacherId || null } })),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['classes'] });
      navigate(`/classes/${created.id}`);
    },
  });
  const errors = fieldErrors(create.error, t);
  const labels = { name: t('classes.name'), gradeLevel: t('classes.grade'), homeroomTeacherId: t('classes.homeroom'), academicYear: t('classes.academicYear') };
  return (
    <FormPanel id="new-class" title={t('classes.new', { year: academicYear })} error={create.error} labels={labels} onSubmit={() => create.mutate()}>
      <div className="grid">
        <FieldShell name="name" label={labels.name} error={errors.name} hint={t('classes.nameHint')} required>
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} />}
        </FieldShell>
        <FieldShell name="gradeLevel" label={labels.gradeLevel} error={errors.gradeLevel} required>
          {(props) => <GradeSelect {...props} value={gradeLevel} onChange={setGrade} />}
        </FieldShell>
        <FieldShell name="homeroomTeacherId" label={labels.homeroomTeacherId} error={errors.homeroomTeacherId}>
          {(props) => <TeacherSelect id={props.id} value={homeroomTeacherId} onChange={setTeacher} invalid={props['aria-invalid']} />}
        </FieldShell>
      </div>
      <button type="submit" className="primary" disabled={create.isPending}>
        {t('common.create')}
      </button>
    </FormPanel>
  );
}
