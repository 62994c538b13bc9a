import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout';
import { ErrorMessage, Loading } from './components/ui';
import { I18nProvider, useI18n } from './i18n/i18n';
import { useCan, useCurrentUser, useSchool } from './session';
import { SignInPage } from './pages/sign-in';

// Each page is its own chunk: a student asking for a letter never downloads the charts.
const HomePage = lazy(() => import('./pages/home'));
const ProfilePage = lazy(() => import('./pages/profile'));
const PeopleListPage = lazy(() => import('./pages/people-list'));
const PersonFormPage = lazy(() => import('./pages/person-form'));
const ImportPage = lazy(() => import('./pages/import'));
const ClassesPage = lazy(() => import('./pages/classes'));
const ClassPage = lazy(() => import('./pages/class'));
const RolloverPage = lazy(() => import('./pages/rollover'));
const LetterQueuePage = lazy(() => import('./pages/letter-queue'));
const LetterPage = lazy(() => import('./pages/letter'));
const MyLettersPage = lazy(() => import('./pages/my-letters'));
const LetterRequestPage = lazy(() => import('./pages/letter-request'));
const StatisticsPage = lazy(() => import('./pages/statistics'));
const RolesPage = lazy(() => import('./pages/roles'));
const RolePage = lazy(() => import('./pages/role'));

export function App() {
  const school = useSchool();
  // Dates wait for the school's time zone: nothing is shown in the browser's own zone first.
  return (
    <I18nProvider timeZone={school.data?.timeZone ?? 'UTC'}>
      {school.isPending ? (
        <Loading />
      ) : school.isError ? (
        <ErrorMessage error={school.error} />
      ) : (
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="*" element={<SignedIn />} />
        </Routes>
      )}
    </I18nProvider>
  );
}

function SignedIn() {
  const me = useCurrentUser();
  const location = useLocation();
  const { t } = useI18n();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorMessage error={me.error} />;
  if (!me.data) return <Navigate to={`/sign-in?from=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <Layout>
      {me.data.user.mustChangePassword ? (
        <p className="alert warning" role="status">
          {t('profile.mustChange')} <Link to="/profile#password">{t('profile.changePassword')}</Link>
        </p>
      ) : null}
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/profile" element={<ProfilePage />} />
          <Route path="/students" element={<Allowed permission="students:read"><PeopleListPage kind="students" /></Allowed>} />
          <Route path="/students/import" element={<Allowed permission="students:write"><ImportPage /></Allowed>} />
          <Route path="/students/new" element={<Allowed permission="students:write"><PersonFormPage kind="students" /></Allowed>} />
          <Route path="/students/:id" element={<Allowed permission="students:read"><PersonFormPage kind="students" /></Allowed>} />
          <Route path="/teachers" element={<Allowed permission="teachers:read"><PeopleListPage kind="teachers" /></Allowed>} />
          <Route path="/teachers/new" element={<Allowed permission="teachers:write"><PersonFormPage kind="teachers" /></Allowed>} />
          <Route path="/teachers/:id" element={<Allowed permission="teachers:read"><PersonFormPage kind="teachers" /></Allowed>} />
          <Route path="/staff" element={<Allowed permission="staff:read"><PeopleListPage kind="staff" /></Allowed>} />
          <Route path="/staff/new" element={<Allowed permission="staff:write"><PersonFormPage kind="staff" /></Allowed>} />
          <Route path="/staff/:id" element={<Allowed permission="staff:read"><PersonFormPage kind="staff" /></Allowed>} />
          <Route path="/classes" element={<Allowed permission="classes:read"><ClassesPage /></Allowed>} />
          <Route path="/classes/rollover" element={<Allowed permission="classes:write"><RolloverPage /></Allowed>} />
          <Route path="/classes/:id" element={<Allowed permission="classes:read"><ClassPage /></Allowed>} />
          <Route path="/letters" element={<Allowed permission="letters:review"><LetterQueuePage /></Allowed>} />
          <Route path="/letters/:id" element={<LetterPage />} />
          <Route path="/my-letters" element={<MyLettersPage />} />
          <Route path="/my-letters/new" element={<Allowed permission="letters:create"><LetterRequestPage /></Allowed>} />
          <Route path="/statistics" element={<Allowed permission="stats:read"><StatisticsPage /></Allowed>} />
          <Route path="/roles" element={<Allowed permission="roles:read"><RolesPage /></Allowed>} />
          <Route path="/roles/:id" element={<Allowed permission="roles:read"><RolePage /></Allowed>} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

/** A page the user's roles do not reach says so instead of showing the server's 403s one by one. */
function Allowed({ permission, children }: { permission: string; children: ReactNode }) {
  const can = useCan();
  const { t } = useI18n();
  if (!can(permission)) return <p className="alert error" role="alert">{t('error.forbidden')}</p>;
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('error.pageNotFound')}</h1>
      <Link to="/">{t('nav.home')}</Link>
    </>
  );
}
