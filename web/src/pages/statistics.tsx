import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, compact, result, type Schemas } from '../api/client';
import { ChartFigure, type Series } from '../components/chart';
import { ChoiceFilter, GRADES } from '../components/choices';
import { ErrorMessage, Loading, PageTitle, Filter } from '../components/ui';
import { useListQuery } from '../components/use-list-query';
import { useI18n, type Translate } from '../i18n/i18n';
import { useLabel, type ListName } from '../reference';
import { useSchool } from '../session';
import { yearChoices } from './academic-years';

type AllStats = Schemas['AllStats'];
type Label = ReturnType<typeof useLabel>;

interface ChartSpec {
  key: string;
  title: string;
  kind: 'bar' | 'doughnut';
  labels: string[];
  series: Series[];
  stacked?: boolean;
}

function gender(key: string, title: string, stats: Schemas['GenderStats'], t: Translate, label: Label): ChartSpec {
  return { key, title, kind: 'doughnut', labels: [label('gender', 'MALE'), label('gender', 'FEMALE')], series: [{ label: t('stats.count'), data: [stats.male, stats.female] }] };
}

function distribution<T extends { count: number }>(key: string, title: string, rows: T[], list: ListName, value: (row: T) => string, t: Translate, label: Label): ChartSpec {
  return { key, title, kind: 'bar', labels: rows.map((r) => (value(r) === 'UNKNOWN' ? t('stats.unknown') : label(list, value(r)))), series: [{ label: t('stats.count'), data: rows.map((r) => r.count) }] };
}

function buckets(key: string, title: string, stats: { buckets: { label: string; count: number }[] }, t: Translate): ChartSpec {
  return { key, title, kind: 'bar', labels: stats.buckets.map((b) => (b.label === 'UNKNOWN' ? t('stats.unknown') : b.label)), series: [{ label: t('stats.count'), data: stats.buckets.map((b) => b.count) }] };
}

/** Every statistic Core computes, as the charts of three groups: students, teachers, staff. */
function chartsOf(stats: AllStats, t: Translate, label: Label): { group: string; charts: ChartSpec[] }[] {
  const s = stats.students;
  const employees = (who: 'teachers' | 'staff') => {
    const e = stats[who];
    return [
      gender(`${who}-gender`, t('stats.gender'), e.gender, t, label),
      distribution(`${who}-religion`, t('stats.religion'), e.religion, 'religion', (r) => r.religion, t, label),
      distribution(`${who}-employment`, t('stats.employment'), e.employment, 'employmentStatus', (r) => r.status, t, label),
      buckets(`${who}-age`, t('stats.age'), e.age, t),
    ];
  };
  return [
    {
      group: t('nav.students'),
      charts: [
        gender('students-gender', t('stats.gender'), s.gender, t, label),
        distribution('students-religion', t('stats.religion'), s.religion, 'religion', (r) => r.religion, t, label),
        buckets('students-age', t('stats.age'), s.age, t),
        buckets('students-height', t('stats.height'), s.height, t),
        buckets('students-weight', t('stats.weight'), s.weight, t),
        distribution('students-transportation', t('stats.transportation'), s.transportation, 'transportationMode', (r) => r.mode, t, label),
        distribution('students-economy', t('stats.economy'), s.economy.brackets, 'incomeBracket', (r) => r.bracket, t, label),
        {
          key: 'students-class',
          title: t('stats.class'),
          kind: 'bar',
          stacked: true,
          labels: s.class.map((c) => c.name),
          series: [
            { label: label('gender', 'MALE'), data: s.class.map((c) => c.male) },
            { label: label('gender', 'FEMALE'), data: s.class.map((c) => c.female) },
          ],
        },
      ],
    },
    { group: t('nav.teachers'), charts: employees('teachers') },
    { group: t('nav.staff'), charts: employees('staff') },
  ];
}

export default function StatisticsPage() {
  const { t, format } = useI18n();
  const label = useLabel();
  const { data: school } = useSchool();
  const current = school?.academicYear ?? '';
  const [query, setQuery] = useListQuery({ page: '1', search: '', sort: '', academicYear: current, gradeLevel: '', classId: '', basis: 'HOUSEHOLD' });
  const classes = useQuery({
    queryKey: ['classes', 'options', query.academicYear, query.gradeLevel],
    queryFn: () =>
      result(api.GET('/api/classes', { params: { query: compact({ page: 1, limit: 100, academicYear: query.academicYear, gradeLevel: query.gradeLevel ? Number(query.gradeLevel) : undefined }) } })),
  });
  const stats = useQuery({
    queryKey: ['stats', 'all', query.academicYear, query.gradeLevel, query.classId, query.basis],
    queryFn: () =>
      result(
        api.GET('/api/stats', {
          params: {
            query: compact({
              academicYear: query.academicYear,
              gradeLevel: query.gradeLevel ? Number(query.gradeLevel) : undefined,
              classId: query.classId,
              basis: query.basis as 'HOUSEHOLD' | 'FATHER' | 'MOTHER',
            }),
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const groups = useMemo(() => (stats.data ? chartsOf(stats.data, t, label) : []), [stats.data, t, label]);
  const users = stats.data?.users;

  return (
    <>
      <PageTitle>{t('nav.statistics')}</PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Filter label={t('classes.academicYear')}>
          {(id) => (
            <select id={id} value={query.academicYear} onChange={(e) => setQuery({ academicYear: e.target.value, classId: '' })}>
              {yearChoices(current).map((year) => (
                <option key={year}>{year}</option>
              ))}
            </select>
          )}
        </Filter>
        <ChoiceFilter label={t('classes.grade')} value={query.gradeLevel} choices={GRADES} onChange={(gradeLevel) => setQuery({ gradeLevel, classId: '' })} />
        <ChoiceFilter label={t('person.class')} value={query.classId} choices={(classes.data ?? []).map((c) => ({ value: c.id, label: c.name }))} onChange={(classId) => setQuery({ classId })} />
        <Filter label={t('stats.basis')}>
          {(id) => (
            <select id={id} value={query.basis} onChange={(e) => setQuery({ basis: e.target.value })}>
              <option value="HOUSEHOLD">{t('stats.basisHousehold')}</option>
              <option value="FATHER">{t('stats.basisFather')}</option>
              <option value="MOTHER">{t('stats.basisMother')}</option>
            </select>
          )}
        </Filter>
      </form>
      <p className="hint">{t('stats.scope')}</p>
      <ErrorMessage error={stats.error} />
      {stats.isPending ? <Loading /> : null}
      {users ? (
        <section aria-labelledby="users-heading">
          <h2 id="users-heading">{t('stats.users')}</h2>
          <ul className="cards">
            <li className="card"><span className="figure">{format.number(users.total)}</span> {t('stats.accounts')}</li>
            <li className="card"><span className="figure">{format.number(users.activeSessions)}</span> {t('stats.activeSessions')}</li>
            <li className="card"><span className="figure">{format.number(users.signInsToday)}</span> {t('home.signInsToday')}</li>
            <li className="card"><span className="figure">{format.number(users.signInsLast7Days)}</span> {t('stats.signIns7')}</li>
            <li className="card"><span className="figure">{format.number(users.failedSignInsToday)}</span> {t('stats.failedToday')}</li>
            <li className="card"><span className="figure">{format.number(users.banned)}</span> {t('stats.banned')}</li>
          </ul>
        </section>
      ) : null}
      {groups.map((group) => (
        <section key={group.group} aria-label={group.group}>
          <h2>{group.group}</h2>
          <div className="charts">
            {group.charts.map((chart) => (
              <ChartFigure key={chart.key} title={chart.title} kind={chart.kind} labels={chart.labels} series={chart.series} stacked={chart.stacked ?? false} />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
