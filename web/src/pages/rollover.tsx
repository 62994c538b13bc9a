import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, result, type Schemas } from '../api/client';
import { DataTable, ErrorMessage, Notice, PageTitle, Filter } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useSchool } from '../session';
import { yearChoices } from './academic-years';

/**
 * The whole school moves up a year: preview the plan (which class becomes which, who graduates,
 * what stands in the way), then apply exactly that plan in one transaction.
 */
export default function RolloverPage() {
  const { t, format } = useI18n();
  const { data: school } = useSchool();
  const queryClient = useQueryClient();
  const [fromAcademicYear, setYear] = useState(school?.academicYear ?? '');
  const [plan, setPlan] = useState<Schemas['RolloverPlan'] | null>(null);
  const rollover = useMutation({
    mutationFn: (dryRun: boolean) => result(api.POST('/api/classes/rollover', { body: { fromAcademicYear, dryRun } })),
    onSuccess: async (answer) => {
      setPlan(answer);
      if (!answer.dryRun) await queryClient.invalidateQueries({ queryKey: ['classes'] });
    },
  });
  const applied = plan !== null && !plan.dryRun;
  return (
    <>
      <PageTitle actions={<Link to="/classes">{t('common.backToList')}</Link>}>{t('classes.rollover')}</PageTitle>
      <p>{t('rollover.help')}</p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          rollover.mutate(true);
        }}
      >
        <Filter label={t('rollover.from')}>
          {(id) => (
            <select id={id} value={fromAcademicYear} onChange={(e) => {
              setYear(e.target.value);
              setPlan(null);
            }}>
              {yearChoices(school?.academicYear ?? fromAcademicYear).map((year) => (
                <option key={year}>{year}</option>
              ))}
            </select>
          )}
        </Filter>
        <button type="submit" disabled={rollover.isPending}>
          {t('rollover.preview')}
        </button>
      </form>
      <ErrorMessage error={rollover.error} />
      {plan ? (
        <section className="panel" aria-labelledby="plan">
          <h2 id="plan">{t(applied ? 'rollover.applied' : 'rollover.plan', { from: plan.fromAcademicYear, to: plan.toAcademicYear })}</h2>
          {applied ? <Notice>{t('rollover.done', { classes: plan.classes.length, graduated: plan.graduated.length })}</Notice> : null}
          <p>{t('rollover.graduating', { count: format.number(plan.graduated.length) })}</p>
          {plan.conflicts.length > 0 ? (
            <div className="alert error" role="alert">
              <p>{t('rollover.conflicts', { count: plan.conflicts.length })}</p>
              <ul>
                {plan.conflicts.map((conflict, i) => (
                  <li key={i}>{conflict.message}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <DataTable
            caption={t('rollover.classes')}
            rows={plan.classes}
            rowKey={(c) => c.sourceClassId}
            columns={[
              { header: t('rollover.source'), cell: (c) => <Link to={`/classes/${c.sourceClassId}`}>{c.sourceName}</Link> },
              { header: t('rollover.target'), cell: (c) => (c.classId ? <Link to={`/classes/${c.classId}`}>{c.name}</Link> : c.name) },
              { header: t('classes.grade'), cell: (c) => c.gradeLevel },
              { header: t('classes.students'), cell: (c) => format.number(c.studentIds.length) },
            ]}
          />
          {!applied ? (
            <button
              type="button"
              className="primary"
              disabled={plan.conflicts.length > 0 || rollover.isPending}
              onClick={() => {
                if (window.confirm(t('rollover.confirm', { from: plan.fromAcademicYear, to: plan.toAcademicYear }))) rollover.mutate(false);
              }}
            >
              {t('rollover.apply')}
            </button>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
