import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call, compact, downloadFrom, pageOf, result, type Schemas } from '../api/client';
import { DeletePanel, GradeSelect, SearchFilter, useChosen } from '../components/choices';
import { DataTable, ErrorMessage, fieldErrors, FieldShell, FormPanel, Loading, Notice, PageTitle, Pagination } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useLabel } from '../reference';
import { useCan } from '../session';
import { shiftYear } from './academic-years';
import { TeacherSelect } from './classes';

type SchoolClass = Schemas['Class'];

export default function ClassPage() {
  const { id } = useParams() as { id: string };
  const { t } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const schoolClass = useQuery({ queryKey: ['classes', id], queryFn: () => result(api.GET('/api/classes/{id}', { params: { path: { id } } })) });
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/api/classes/{id}', { params: { path: { id }, query: { force: true } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['classes'] });
      navigate('/classes');
    },
  });
  if (schoolClass.isPending) return <Loading />;
  if (schoolClass.isError) return <ErrorMessage error={schoolClass.error} />;
  const c = schoolClass.data;
  return (
    <>
      <PageTitle actions={<Link to={`/classes?academicYear=${encodeURIComponent(c.academicYear)}`}>{t('common.backToList')}</Link>}>
        {t('classes.title', { name: c.name, year: c.academicYear })}
      </PageTitle>
      {can('classes:write') ? <EditClass schoolClass={c} /> : <p>{t('classes.homeroom')}: {c.homeroomTeacher?.name ?? '—'}</p>}
      <Members schoolClass={c} />
      {can('students:write') ? <FirstPasswords schoolClass={c} /> : null}
      {can('classes:write') ? <Enrol schoolClass={c} /> : null}
      {can('classes:write') ? <CopyClass schoolClass={c} /> : null}
      {can('classes:delete') ? (
        <DeletePanel label={t('classes.delete')} confirm={t('classes.confirmDelete', { name: c.name })} error={remove.error} onDelete={() => remove.mutate()} />
      ) : null}
    </>
  );
}

function EditClass({ schoolClass }: { schoolClass: SchoolClass }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState(schoolClass.name);
  const [homeroomTeacherId, setTeacher] = useState(schoolClass.homeroomTeacher?.id ?? '');
  const save = useMutation({
    mutationFn: () => result(api.PATCH('/api/classes/{id}', { params: { path: { id: schoolClass.id } }, body: { name, homeroomTeacherId: homeroomTeacherId || null } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['classes'] }),
  });
  const errors = fieldErrors(save.error, t);
  const labels = { name: t('classes.name'), homeroomTeacherId: t('classes.homeroom') };
  return (
    <FormPanel id="edit-class" title={t('classes.details')} error={save.error} labels={labels} onSubmit={() => save.mutate()}>
      {save.isSuccess ? <Notice>{t('common.saved')}</Notice> : null}
      <div className="grid">
        <FieldShell name="name" label={labels.name} error={errors.name} required>
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} />}
        </FieldShell>
        <FieldShell name="homeroomTeacherId" label={labels.homeroomTeacherId} error={errors.homeroomTeacherId}>
          {(props) => <TeacherSelect id={props.id} value={homeroomTeacherId} onChange={setTeacher} invalid={props['aria-invalid']} />}
        </FieldShell>
      </div>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('common.save')}
      </button>
    </FormPanel>
  );
}

function Members({ schoolClass }: { schoolClass: SchoolClass }) {
  const { t, format } = useI18n();
  const can = useCan();
  const label = useLabel();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const members = useQuery({
    queryKey: ['classes', schoolClass.id, 'members', page],
    queryFn: () => call(api.GET('/api/classes/{id}/students', { params: { path: { id: schoolClass.id }, query: { page, limit: 50 } } })),
    placeholderData: keepPreviousData,
  });
  const unenrol = useMutation({
    mutationFn: (studentId: string) => call(api.DELETE('/api/classes/{id}/students/{studentId}', { params: { path: { id: schoolClass.id, studentId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['classes'] }),
  });
  const { rows, totalPages, total } = pageOf(members.data);
  return (
    <section className="panel" aria-labelledby="members">
      <h2 id="members">
        {t('classes.members')} ({format.number(schoolClass.studentCount)}: {t('classes.male')} {format.number(schoolClass.maleCount)}, {t('classes.female')}{' '}
        {format.number(schoolClass.femaleCount)})
      </h2>
      <ErrorMessage error={members.error ?? unenrol.error} />
      <DataTable
        caption={t('classes.members')}
        rows={rows}
        rowKey={(m) => m.id}
        columns={[
          { header: t('field.name'), cell: (m) => <Link to={`/students/${m.id}`}>{m.name}</Link> },
          { header: t('field.nisn'), cell: (m) => m.nisn ?? '—' },
          { header: t('field.gender'), cell: (m) => label('gender', m.gender) },
          { header: t('field.status'), cell: (m) => label('studentStatus', m.status) },
          { header: t('classes.enrolledAt'), cell: (m) => format.dateTime(m.enrolledAt) },
          ...(can('classes:write')
            ? [
                {
                  header: t('common.actions'),
                  cell: (m: Schemas['ClassMember']) => (
                    <button type="button" onClick={() => unenrol.mutate(m.id)} aria-label={t('classes.unenrolOne', { name: m.name })}>
                      {t('classes.unenrol')}
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={setPage} />
    </section>
  );
}

/**
 * The sign-in slips of a class (imported students have no password yet): every active student
 * gets a new one, printed eight to an A4 page, and is signed out of any device.
 */
function FirstPasswords({ schoolClass }: { schoolClass: SchoolClass }) {
  const { t } = useI18n();
  const issue = useMutation({
    mutationFn: () => downloadFrom('/api/students/credentials', { classId: schoolClass.id, format: 'pdf' }, t('classes.passwordsFile', { name: schoolClass.name })),
  });
  return (
    <section className="panel" aria-labelledby="passwords">
      <h2 id="passwords">{t('classes.passwords')}</h2>
      <p>{t('classes.passwordsHelp')}</p>
      <ErrorMessage error={issue.error} />
      {issue.isSuccess ? <Notice>{t('classes.passwordsDone')}</Notice> : null}
      <button
        type="button"
        disabled={issue.isPending || schoolClass.studentCount === 0}
        onClick={() => {
          if (window.confirm(t('classes.passwordsConfirm', { name: schoolClass.name }))) issue.mutate();
        }}
      >
        {t('classes.passwordsPrint')}
      </button>
    </section>
  );
}

/** Find students by name or NISN and enrol the ticked ones in one all-or-nothing request. */
function Enrol({ schoolClass }: { schoolClass: SchoolClass }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const { chosen, toggle, clear } = useChosen();
  const [move, setMove] = useState(false);
  const found = useQuery({
    queryKey: ['students', 'pick', search],
    queryFn: () => result(api.GET('/api/students', { params: { query: compact({ page: 1, limit: 20, search, status: 'ACTIVE' as const }) } })),
    enabled: search.trim().length > 0,
  });
  const enrol = useMutation({
    mutationFn: () => result(api.POST('/api/classes/{id}/students', { params: { path: { id: schoolClass.id } }, body: { studentIds: [...chosen.keys()], move } })),
    onSuccess: async () => {
      clear();
      await queryClient.invalidateQueries({ queryKey: ['classes'] });
    },
  });
  return (
    <section className="panel" aria-labelledby="enrol">
      <h2 id="enrol">{t('classes.enrol')}</h2>
      <SearchFilter label={t('classes.findStudents')} onSearch={setSearch} />
      {found.data ? (
        <fieldset className="checks">
          <legend>{t('classes.results')}</legend>
          {found.data.length === 0 ? <p>{t('list.empty')}</p> : null}
          {found.data.map((s) => (
            <label key={s.id} className="check">
              <input type="checkbox" checked={chosen.has(s.id)} onChange={(e) => toggle(s.id, s.name, e.target.checked)} /> {s.name}
              {'nisn' in s && s.nisn ? ` · ${s.nisn}` : ''}
              {s.className ? ` · ${s.className}` : ''}
            </label>
          ))}
        </fieldset>
      ) : null}
      {chosen.size > 0 ? <p>{t('classes.chosen', { names: [...chosen.values()].join(', ') })}</p> : null}
      <label className="check">
        <input type="checkbox" checked={move} onChange={(e) => setMove(e.target.checked)} /> {t('classes.move')}
      </label>
      <ErrorMessage error={enrol.error} />
      {enrol.isSuccess ? <Notice>{t('classes.enrolled', { count: enrol.data.enrolled.length + enrol.data.moved.length })}</Notice> : null}
      <button type="button" className="primary" disabled={chosen.size === 0 || enrol.isPending} onClick={() => enrol.mutate()}>
        {t('classes.enrolChosen', { count: chosen.size })}
      </button>
    </section>
  );
}

/** Copy the class into another year (promotion): same homeroom teacher, its students carried along. */
function CopyClass({ schoolClass }: { schoolClass: SchoolClass }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [academicYear, setYear] = useState(shiftYear(schoolClass.academicYear, 1));
  const [name, setName] = useState('');
  const [gradeLevel, setGrade] = useState(String(Math.min(12, schoolClass.gradeLevel + 1)));
  const [withStudents, setWithStudents] = useState(true);
  const copy = useMutation({
    mutationFn: () =>
      result(
        api.POST('/api/classes/{id}/copy', {
          params: { path: { id: schoolClass.id } },
          body: { academicYear, gradeLevel: Number(gradeLevel), ...(name.trim() ? { name: name.trim() } : {}), ...(withStudents ? {} : { studentIds: [] }) },
        }),
      ),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['classes'] });
      navigate(`/classes/${created.id}`);
    },
  });
  const errors = fieldErrors(copy.error, t);
  const labels = { academicYear: t('classes.academicYear'), name: t('classes.name'), gradeLevel: t('classes.grade') };
  return (
    <FormPanel id="copy" title={t('classes.copy')} error={copy.error} labels={labels} onSubmit={() => copy.mutate()}>
      <div className="grid">
        <FieldShell name="academicYear" label={labels.academicYear} error={errors.academicYear} required>
          {(props) => <input {...props} value={academicYear} onChange={(e) => setYear(e.target.value)} placeholder="2027/2028" />}
        </FieldShell>
        <FieldShell name="gradeLevel" label={labels.gradeLevel} error={errors.gradeLevel}>
          {(props) => <GradeSelect {...props} value={gradeLevel} onChange={setGrade} />}
        </FieldShell>
        <FieldShell name="name" label={labels.name} error={errors.name} hint={t('classes.copyNameHint')}>
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} />}
        </FieldShell>
      </div>
      <label className="check">
        <input type="checkbox" checked={withStudents} onChange={(e) => setWithStudents(e.target.checked)} /> {t('classes.copyStudents')}
      </label>
      <button type="submit" className="primary" disabled={copy.isPending}>
        {t('classes.copy')}
      </button>
    </FormPanel>
  );
}
