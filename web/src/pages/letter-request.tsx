import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, compact, fetchOk, result } from '../api/client';
import { SearchFilter, useChosen } from '../components/choices';
import { ErrorSummary, FieldShell, fieldErrors, PageTitle } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useOptions } from '../reference';
import { useSchool } from '../session';
import { schoolTimeToIso } from './time';

/** Letter types whose request must say from when to when (Core refuses them without both). */
const NEEDS_PERIOD = new Set(['DISPENSATION', 'ASSIGNMENT']);

/** The presigned upload of the Android app: declare the file, PUT its bytes, keep its address. */
async function uploadAttachment(file: File): Promise<string> {
  const presigned = await result(api.POST('/api/presigned', { body: { fileName: file.name, fileType: file.type, fileSize: file.size, type: 'letter-attachment' } }));
  await fetchOk(presigned.url, { method: 'PUT', headers: presigned.headers as Record<string, string>, body: file });
  return presigned.fileUrl;
}

export default function LetterRequestPage() {
  const { t } = useI18n();
  const options = useOptions();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: school } = useSchool();
  const [letterType, setType] = useState('DISPENSATION');
  const [subject, setSubject] = useState('');
  const [reason, setReason] = useState('');
  const [begin, setBegin] = useState('');
  const [end, setEnd] = useState('');
  const [attachment, setAttachment] = useState<File | null>(null);
  const [isPrinted, setPrinted] = useState(false);
  const { chosen: cc, toggle: toggleCc } = useChosen();
  const [ccSearch, setCcSearch] = useState('');
  const recipients = useQuery({
    queryKey: ['recipients', ccSearch],
    queryFn: () => result(api.GET('/api/letters/recipients', { params: { query: compact({ page: 1, limit: 10, search: ccSearch }) } })),
    enabled: ccSearch.trim().length > 0,
  });

  const submit = useMutation({
    mutationFn: async () => {
      const timeZone = school?.timeZone ?? 'Asia/Makassar';
      const attachmentUrl = attachment ? await uploadAttachment(attachment) : undefined;
      return result(
        api.POST('/api/letters', {
          body: {
            letterType: letterType as never,
            subject,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
            ...(begin ? { beginDate: schoolTimeToIso(begin, timeZone) } : {}),
            ...(end ? { endDate: schoolTimeToIso(end, timeZone) } : {}),
            ...(cc.size > 0 ? { cc: [...cc.keys()] } : {}),
            ...(attachmentUrl ? { attachment: attachmentUrl } : {}),
            isPrinted,
          },
        }),
      );
    },
    onSuccess: async (letter) => {
      await queryClient.invalidateQueries({ queryKey: ['letters'] });
      navigate(`/letters/${letter.id}`);
    },
  });
  const errors = fieldErrors(submit.error, t);
  const labels = {
    letterType: t('letters.type'),
    subject: t('letters.subject'),
    reason: t('letters.reason'),
    beginDate: t('letters.begin'),
    endDate: t('letters.end'),
    cc: t('letters.cc'),
    attachment: t('letters.attachment'),
    fileSize: t('letters.attachment'),
    fileType: t('letters.attachment'),
  };
  const needsPeriod = NEEDS_PERIOD.has(letterType);
  return (
    <>
      <PageTitle actions={<Link to="/my-letters">{t('common.backToList')}</Link>}>{t('letters.request')}</PageTitle>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit.mutate();
        }}
      >
        <ErrorSummary error={submit.error} labels={labels} />
        <div className="grid">
          <FieldShell name="letterType" label={labels.letterType} error={errors.letterType} required>
            {(props) => (
              <select {...props} value={letterType} onChange={(e) => setType(e.target.value)}>
                {options('letterType').map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
          <FieldShell name="subject" label={labels.subject} error={errors.subject} required>
            {(props) => <input {...props} value={subject} onChange={(e) => setSubject(e.target.value)} />}
          </FieldShell>
          <FieldShell name="beginDate" label={labels.beginDate} error={errors.beginDate} hint={t('letters.timeHint', { zone: school?.timeZone ?? '' })} required={needsPeriod}>
            {(props) => <input {...props} type="datetime-local" value={begin} onChange={(e) => setBegin(e.target.value)} />}
          </FieldShell>
          <FieldShell name="endDate" label={labels.endDate} error={errors.endDate} required={needsPeriod}>
            {(props) => <input {...props} type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} />}
          </FieldShell>
        </div>
        <FieldShell name="reason" label={labels.reason} error={errors.reason}>
          {(props) => <textarea {...props} rows={4} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </FieldShell>
        <fieldset className="field" id="field-cc">
          <legend>{labels.cc}</legend>
          <SearchFilter label={t('letters.findRecipient')} onSearch={setCcSearch} />
          {recipients.data?.map((r) => (
            <label key={r.id} className="check">
              <input
                type="checkbox"
                checked={cc.has(r.id)}
                onChange={(e) => toggleCc(r.id, r.name, e.target.checked)}
              />{' '}
              {r.name}
            </label>
          ))}
          {cc.size > 0 ? <p>{t('letters.ccChosen', { names: [...cc.values()].join(', ') })}</p> : null}
          {errors.cc ? <small className="field-error">{errors.cc}</small> : null}
        </fieldset>
        <FieldShell name="attachment" label={labels.attachment} error={errors.attachment ?? errors.fileSize ?? errors.fileType} hint={t('letters.attachmentHint')}>
          {(props) => <input {...props} type="file" accept="application/pdf,image/jpeg,image/png,image/webp" onChange={(e) => setAttachment(e.target.files?.[0] ?? null)} />}
        </FieldShell>
        <label className="check">
          <input type="checkbox" checked={isPrinted} onChange={(e) => setPrinted(e.target.checked)} /> {t('letters.wantPrinted')}
        </label>
        <button type="submit" className="primary" disabled={submit.isPending}>
          {t('letters.send')}
        </button>
      </form>
    </>
  );
}
