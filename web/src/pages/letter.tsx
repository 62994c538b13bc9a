import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, fetchOk, result } from '../api/client';
import { ErrorMessage, FieldShell, fieldErrors, Loading, Notice, PageTitle } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useLabel } from '../reference';
import { useCan, useCurrentUser } from '../session';
import { StatusBadge } from './letter-table';

type Action = 'APPROVE' | 'REJECT' | 'CANCEL';

export default function LetterPage() {
  const { id } = useParams() as { id: string };
  const { t, format } = useI18n();
  const can = useCan();
  const label = useLabel();
  const { data: me } = useCurrentUser();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const letter = useQuery({ queryKey: ['letters', id], queryFn: () => result(api.GET('/api/letters/{id}', { params: { path: { id } } })) });
  const act = useMutation({
    mutationFn: (action: Action) => result(api.POST('/api/letters/{id}/actions', { params: { path: { id } }, body: { action, note: note.trim() || null } })),
    onSuccess: async () => {
      setNote('');
      await queryClient.invalidateQueries({ queryKey: ['letters'] });
    },
  });

  if (letter.isPending) return <Loading />;
  if (letter.isError) return <ErrorMessage error={letter.error} />;
  const l = letter.data;
  const mine = l.applicant.id === me?.user.id;
  const pending = l.status === 'PENDING';
  const mayReview = pending && can('letters:review') && !mine;
  const errors = fieldErrors(act.error, t);

  return (
    <>
      <PageTitle actions={<Link to={can('letters:review') ? '/letters' : '/my-letters'}>{t('common.backToList')}</Link>}>{l.subject}</PageTitle>
      <dl className="details">
        <dt>{t('letters.status')}</dt>
        <dd>
          <StatusBadge status={l.status} />
        </dd>
        <dt>{t('letters.number')}</dt>
        <dd>{l.letterNumber ?? '—'}</dd>
        <dt>{t('letters.type')}</dt>
        <dd>{label('letterType', l.letterType)}</dd>
        <dt>{t('letters.applicant')}</dt>
        <dd>
          {l.applicant.name} ({l.applicant.email})
        </dd>
        <dt>{t('letters.reason')}</dt>
        <dd>{l.reason ?? '—'}</dd>
        {l.beginDate || l.endDate ? (
          <>
            <dt>{t('letters.period')}</dt>
            <dd>
              {format.dateTime(l.beginDate)} – {format.dateTime(l.endDate)}
            </dd>
          </>
        ) : null}
        <dt>{t('letters.created')}</dt>
        <dd>{format.dateTime(l.createdAt)}</dd>
        {l.letterDate ? (
          <>
            <dt>{t('letters.letterDate')}</dt>
            <dd>{format.date(l.letterDate)}</dd>
          </>
        ) : null}
        {l.reviewer ? (
          <>
            <dt>{t('letters.reviewer')}</dt>
            <dd>{l.reviewer.name}</dd>
          </>
        ) : null}
        <dt>{t('letters.printed')}</dt>
        <dd>{l.isPrinted ? t('common.yes') : t('common.no')}</dd>
        {l.attachment ? (
          <>
            <dt>{t('letters.attachment')}</dt>
            <dd>
              <a href={l.attachment} target="_blank" rel="noopener noreferrer">
                {t('letters.openAttachment')}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      {l.letterContent ? (
        <section className="panel" aria-labelledby="content">
          <h2 id="content">{t('letters.content')}</h2>
          <p className="letter-content">{l.letterContent}</p>
        </section>
      ) : null}
      {l.status === 'APPROVED' ? <LetterDocument id={l.id} fileName={`${(l.letterNumber ?? l.id).replace(/[^\w.-]+/g, '-')}.pdf`} /> : null}
      {mayReview || (pending && mine) ? (
        <section className="panel" aria-labelledby="decide">
          <h2 id="decide">{mayReview ? t('letters.review') : t('letters.cancelTitle')}</h2>
          {act.error instanceof ApiError && act.error.status === 409 ? <p className="alert error" role="alert">{t('letters.conflict')}</p> : <ErrorMessage error={act.error} />}
          <FieldShell name="note" label={t('letters.note')} hint={mayReview ? t('letters.noteHint') : undefined} error={errors.note}>
            {(props) => <textarea {...props} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
          </FieldShell>
          <p className="actions">
            {mayReview ? (
              <>
                <button type="button" className="primary" disabled={act.isPending} onClick={() => act.mutate('APPROVE')}>
                  {t('letters.approve')}
                </button>
                <button type="button" className="danger" disabled={act.isPending} onClick={() => act.mutate('REJECT')}>
                  {t('letters.reject')}
                </button>
              </>
            ) : (
              <button type="button" className="danger" disabled={act.isPending} onClick={() => act.mutate('CANCEL')}>
                {t('letters.cancel')}
              </button>
            )}
          </p>
        </section>
      ) : null}
      {act.isSuccess ? <Notice>{t('letters.done', { status: label('letterStatus', act.data.status) })}</Notice> : null}
      <section className="panel" aria-labelledby="history">
        <h2 id="history">{t('letters.history')}</h2>
        <ol className="timeline">
          {l.history.map((h, i) => (
            <li key={i}>
              <time dateTime={h.createdAt}>{format.dateTime(h.createdAt)}</time> · <strong>{t(`letters.action.${h.action}`)}</strong> · {h.actor.name}
              {h.note ? <blockquote>{h.note}</blockquote> : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

/**
 * The approved letter's PDF, fetched with the session and shown from a blob: URL (Core's API
 * answers may not be framed); the same blob is the download, so both show the same document.
 */
function LetterDocument({ id, fileName }: { id: string; fileName: string }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    let revoked = false;
    let objectUrl: string | null = null;
    (async () => {
      const response = await fetchOk(`/api/letters/${encodeURIComponent(id)}/document`);
      objectUrl = URL.createObjectURL(await response.blob());
      if (revoked) URL.revokeObjectURL(objectUrl);
      else setUrl(objectUrl);
    })().catch(setError);
    return () => {
      revoked = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [id]);
  return (
    <section className="panel" aria-labelledby="document">
      <h2 id="document">{t('letters.document')}</h2>
      <ErrorMessage error={error} />
      {url ? (
        <>
          <p className="actions">
            <button type="button" onClick={() => setShown((s) => !s)} aria-expanded={shown}>
              {shown ? t('letters.hidePreview') : t('letters.preview')}
            </button>
            <a className="button" href={url} download={fileName}>
              {t('letters.download')}
            </a>
          </p>
          {shown ? <iframe className="pdf" src={url} title={t('letters.document')} /> : null}
        </>
      ) : error ? null : (
        <Loading />
      )}
    </section>
  );
}
