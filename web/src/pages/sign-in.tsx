import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { LanguageSwitch } from '../components/layout';
import { PageTitle, useErrorText } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useCurrentUser, useSchool } from '../session';

/** Only addresses of this dashboard: `?from=https://evil.example` must not send anyone away. */
function safeReturn(from: string | null): string {
  return from && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function SignInPage() {
  const { t } = useI18n();
  const { data: school } = useSchool();
  const errorText = useErrorText();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [rememberMe, setRememberMe] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (me.data) return <Navigate to={safeReturn(params.get('from'))} replace />;

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await call(api.POST('/api/auth/sign-in/email', { body: { email, password, rememberMe } }));
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      navigate(safeReturn(params.get('from')), { replace: true });
    } catch (error) {
      setProblem(signInProblem(error));
      setBusy(false);
    }
  }

  /** Sign-in's own refusals in its own words; anything else as every other page says it. */
  function signInProblem(error: unknown): string {
    if (!(error instanceof ApiError)) return errorText(error);
    if (error.status === 401) return t('signIn.wrongPassword');
    if (error.status === 429) return t('signIn.tooMany', { minutes: Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60)) });
    if (error.status === 403 && error.code === 'USER_BANNED') return t('signIn.blocked');
    // Better Auth refuses a browser sign-in from an address Core does not trust (PUBLIC_URL, TRUSTED_ORIGINS).
    if (error.status === 403) return t('signIn.wrongAddress', { address: school?.publicUrl ?? '' });
    if (error.status === 400) return t('signIn.invalid');
    return errorText(error);
  }

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <div className="sign-in-top">
          <span className="brand">{school?.name}</span>
          <LanguageSwitch />
        </div>
        <PageTitle>{t('signIn.title')}</PageTitle>
        <form onSubmit={signIn} noValidate>
          {problem ? (
            <p className="alert error" role="alert">
              {problem}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="email">{t('signIn.email')}</label>
            <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="password">{t('signIn.password')}</label>
            <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <label className="check">
            <input type="checkbox" checked={rememberMe} onChange={(e) => setRememberMe(e.target.checked)} /> {t('signIn.remember')}
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('signIn.busy') : t('signIn.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
