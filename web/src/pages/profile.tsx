import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { api, ApiError, call, fileUrl, pageOf, result, upload, type Schemas } from '../api/client';
import { DataTable, ErrorMessage, FieldShell, fieldErrors, FormPanel, Loading, Notice, PageTitle, Pagination } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useCurrentUser } from '../session';

export default function ProfilePage() {
  const { t } = useI18n();
  const { data: me } = useCurrentUser();
  if (!me) return <Loading />;
  return (
    <>
      <PageTitle>{t('profile.title')}</PageTitle>
      <ProfileImage user={me.user} />
      <ProfileDetails user={me.user} />
      <ChangePassword />
      <Devices />
      <LoginHistory />
    </>
  );
}

function ProfileImage({ user }: { user: Schemas['User'] }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  async function send(file: File) {
    setError(null);
    setDone(false);
    setProgress(0);
    try {
      await upload('/api/users/me/image', 'image', file, setProgress);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      setDone(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress(null);
    }
  }

  return (
    <section aria-labelledby="image-heading" className="panel">
      <h2 id="image-heading">{t('profile.image')}</h2>
      <div className="profile-image">
        {user.image ? <img src={fileUrl(user.image)} alt={t('profile.imageAlt', { name: user.name })} width={120} height={120} /> : <div className="no-image" aria-hidden="true">{user.name.charAt(0)}</div>}
        <div>
          <label htmlFor="profile-image-file">{t('profile.chooseImage')}</label>
          <input
            id="profile-image-file"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            aria-describedby="profile-image-hint"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void send(file);
              e.target.value = '';
            }}
          />
          <small id="profile-image-hint" className="hint">{t('profile.imageHint')}</small>
          {progress !== null ? <progress value={progress} max={1} aria-label={t('profile.uploading')} /> : null}
          {done ? <Notice>{t('profile.imageSaved')}</Notice> : null}
          <ErrorMessage error={error} />
        </div>
      </div>
    </section>
  );
}

function ProfileDetails({ user }: { user: Schemas['User'] }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState(user.name);
  const [secondaryEmail, setSecondaryEmail] = useState(user.secondaryEmail ?? '');
  const save = useMutation({
    mutationFn: () => result(api.PATCH('/api/users/me', { body: { name, secondaryEmail: secondaryEmail || null } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });
  const errors = fieldErrors(save.error, t);
  const labels = { name: t('person.name'), secondaryEmail: t('profile.secondaryEmail') };
  return (
    <FormPanel id="details-heading" title={t('profile.details')} error={save.error} labels={labels} onSubmit={() => save.mutate()}>
      {save.isSuccess ? <Notice>{t('common.saved')}</Notice> : null}
      <p>
        {t('person.email')}: <strong>{user.email}</strong>
      </p>
      <FieldShell name="name" label={labels.name} error={errors.name} required>
        {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} />}
      </FieldShell>
      <FieldShell name="secondaryEmail" label={labels.secondaryEmail} error={errors.secondaryEmail}>
        {(props) => <input {...props} type="email" value={secondaryEmail} onChange={(e) => setSecondaryEmail(e.target.value)} />}
      </FieldShell>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('common.save')}
      </button>
    </FormPanel>
  );
}

/** Better Auth's refusals of a password change, said in the UI language. */
const CHANGE_PASSWORD_CODES: Partial<Record<string, MessageKey>> = {
  INVALID_PASSWORD: 'profile.wrongCurrentPassword',
  PASSWORD_TOO_SHORT: 'profile.passwordTooShort',
  PASSWORD_TOO_LONG: 'profile.passwordTooLong',
};

function ChangePassword() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [revokeOtherSessions, setRevoke] = useState(true);
  const change = useMutation({
    mutationFn: () => call(api.POST('/api/auth/change-password', { body: { currentPassword, newPassword, revokeOtherSessions } })),
    onSuccess: async () => {
      setCurrent('');
      setNew('');
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      await queryClient.invalidateQueries({ queryKey: ['devices'] });
    },
  });
  const location = useLocation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // The "change your temporary password" banner links here.
    if (location.hash === '#password') heading.current?.focus();
  }, [location.hash]);
  return (
    <section aria-labelledby="password" className="panel">
      <h2 id="password" tabIndex={-1} ref={heading}>
        {t('profile.changePassword')}
      </h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          change.mutate();
        }}
      >
        {change.error instanceof ApiError && CHANGE_PASSWORD_CODES[change.error.code ?? ''] ? (
          <p className="alert error" role="alert">
            {t(CHANGE_PASSWORD_CODES[change.error.code!]!)}
          </p>
        ) : (
          <ErrorMessage error={change.error} />
        )}
        {change.isSuccess ? <Notice>{t('profile.passwordChanged')}</Notice> : null}
        <FieldShell name="currentPassword" label={t('profile.currentPassword')} required>
          {(props) => <input {...props} type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />}
        </FieldShell>
        <FieldShell name="newPassword" label={t('profile.newPassword')} hint={t('profile.passwordHint')} required>
          {(props) => <input {...props} type="password" autoComplete="new-password" minLength={8} value={newPassword} onChange={(e) => setNew(e.target.value)} />}
        </FieldShell>
        <label className="check">
          <input type="checkbox" checked={revokeOtherSessions} onChange={(e) => setRevoke(e.target.checked)} /> {t('profile.signOutOthers')}
        </label>
        <button type="submit" className="primary" disabled={change.isPending}>
          {t('profile.changePassword')}
        </button>
      </form>
    </section>
  );
}

function Devices() {
  const { t, format } = useI18n();
  const queryClient = useQueryClient();
  const devices = useQuery({ queryKey: ['devices'], queryFn: () => result(api.GET('/api/users/me/devices')) });
  const revoke = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/users/me/devices/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['devices'] }),
  });
  const revokeOthers = useMutation({
    mutationFn: () => call(api.POST('/api/users/me/devices/revoke-others')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['devices'] }),
  });
  return (
    <section aria-labelledby="devices-heading" className="panel">
      <h2 id="devices-heading">{t('devices.title')}</h2>
      <ErrorMessage error={devices.error ?? revoke.error ?? revokeOthers.error} />
      {devices.data ? (
        <DataTable
          caption={t('devices.title')}
          rows={devices.data}
          rowKey={(d) => d.id}
          columns={[
            { header: t('devices.device'), cell: (d) => `${d.browser ?? '?'} · ${d.os ?? '?'} (${t(`devices.type.${d.deviceType}`)})` },
            { header: t('devices.address'), cell: (d) => d.ipAddress ?? '—' },
            { header: t('devices.lastActive'), cell: (d) => format.dateTime(d.lastActiveAt) },
            { header: t('devices.since'), cell: (d) => format.dateTime(d.createdAt) },
            {
              header: t('common.actions'),
              cell: (d) =>
                d.current ? (
                  <strong>{t('devices.current')}</strong>
                ) : (
                  <button type="button" onClick={() => revoke.mutate(d.id)} aria-label={t('devices.signOutOne', { device: `${d.browser ?? ''} ${d.os ?? ''}` })}>
                    {t('devices.signOut')}
                  </button>
                ),
            },
          ]}
        />
      ) : (
        <Loading />
      )}
      <button type="button" onClick={() => revokeOthers.mutate()} disabled={revokeOthers.isPending}>
        {t('devices.signOutOthers')}
      </button>
    </section>
  );
}

function LoginHistory() {
  const { t, format } = useI18n();
  const [page, setPage] = useState(1);
  const history = useQuery({
    queryKey: ['login-history', page],
    queryFn: () => call(api.GET('/api/users/me/login-history', { params: { query: { page, limit: 10, sort: '-createdAt' } } })),
  });
  const { rows, totalPages, total } = pageOf(history.data);
  return (
    <section aria-labelledby="history-heading" className="panel">
      <h2 id="history-heading">{t('history.title')}</h2>
      <ErrorMessage error={history.error} />
      <DataTable
        caption={t('history.title')}
        rows={rows}
        rowKey={(r) => r.id}
        columns={[
          { header: t('history.when'), cell: (r) => format.dateTime(r.createdAt) },
          { header: t('history.result'), cell: (r) => (r.success ? t('history.success') : `${t('history.failure')}${r.failureReason ? ` (${r.failureReason})` : ''}`) },
          { header: t('devices.address'), cell: (r) => r.ipAddress ?? '—' },
          { header: t('history.agent'), cell: (r) => r.userAgent ?? '—' },
        ]}
      />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={setPage} />
    </section>
  );
}
