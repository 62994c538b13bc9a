import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, result } from '../api/client';
import { PageTitle } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useCan, useCurrentUser, useSchool } from '../session';

export default function HomePage() {
  const { t, format } = useI18n();
  const can = useCan();
  const { data: me } = useCurrentUser();
  const { data: school } = useSchool();
  const summary = useQuery({
    queryKey: ['stats', 'users'],
    queryFn: () => result(api.GET('/api/stats/users/summary')),
    enabled: can('stats:read'),
  });
  const pending = useQuery({
    queryKey: ['letters', 'pending-count'],
    queryFn: async () => (await api.GET('/api/letters', { params: { query: { status: 'PENDING', page: 1, limit: 1 } } })).data?.meta,
    enabled: can('letters:review'),
  });

  return (
    <>
      <PageTitle>{t('home.title', { name: me?.user.name ?? '' })}</PageTitle>
      <p>{t('home.year', { school: school?.name ?? '', year: school?.academicYear ?? '' })}</p>
      <ul className="cards">
        {summary.data ? (
          <>
            <li className="card">
              <span className="figure">{format.number(summary.data.byType.STUDENT)}</span> {t('home.students')}
            </li>
            <li className="card">
              <span className="figure">{format.number(summary.data.byType.TEACHER)}</span> {t('home.teachers')}
            </li>
            <li className="card">
              <span className="figure">{format.number(summary.data.byType.STAFF)}</span> {t('home.staff')}
            </li>
            <li className="card">
              <span className="figure">{format.number(summary.data.signInsToday)}</span> {t('home.signInsToday')}
            </li>
          </>
        ) : null}
        {pending.data ? (
          <li className="card">
            <span className="figure">{format.number(pending.data.total ?? 0)}</span> <Link to="/letters">{t('home.pendingLetters')}</Link>
          </li>
        ) : null}
      </ul>
      <h2>{t('home.shortcuts')}</h2>
      <ul className="shortcuts">
        {can('students:write') ? <li><Link to="/students/new">{t('people.new.students')}</Link></li> : null}
        {can('students:write') ? <li><Link to="/students/import">{t('nav.import')}</Link></li> : null}
        {can('letters:create') ? <li><Link to="/my-letters/new">{t('letters.request')}</Link></li> : null}
        <li><Link to="/profile">{t('nav.profile')}</Link></li>
      </ul>
    </>
  );
}
