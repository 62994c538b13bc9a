import { Link } from 'react-router';
import type { Schemas } from '../api/client';
import { DataTable } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useLabel } from '../reference';

export type Letter = Schemas['Letter'];

export function StatusBadge({ status }: { status: Letter['status'] }) {
  const label = useLabel();
  return <span className={`badge status-${status.toLowerCase()}`}>{label('letterStatus', status)}</span>;
}

export function LetterTable({ caption, letters, sort, onSort, showApplicant }: { caption: string; letters: Letter[]; sort: string; onSort(sort: string): void; showApplicant: boolean }) {
  const { t, format } = useI18n();
  const label = useLabel();
  return (
    <DataTable
      caption={caption}
      rows={letters}
      rowKey={(l) => l.id}
      sort={sort}
      onSort={onSort}
      columns={[
        { header: t('letters.created'), sort: 'createdAt', cell: (l) => format.dateTime(l.createdAt) },
        ...(showApplicant ? [{ header: t('letters.applicant'), cell: (l: Letter) => l.applicant.name }] : []),
        { header: t('letters.type'), cell: (l) => label('letterType', l.letterType) },
        { header: t('letters.subject'), sort: 'subject', cell: (l) => <Link to={`/letters/${l.id}`}>{l.subject}</Link> },
        { header: t('letters.status'), cell: (l) => <StatusBadge status={l.status} /> },
        { header: t('letters.number'), cell: (l) => l.letterNumber ?? '—' },
      ]}
    />
  );
}
