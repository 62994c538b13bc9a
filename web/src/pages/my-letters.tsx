import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call, compact, pageOf } from '../api/client';
import { ChoiceFilter } from '../components/choices';
import { ErrorMessage, PageTitle, Pagination } from '../components/ui';
import { useListQuery } from '../components/use-list-query';
import { useI18n } from '../i18n/i18n';
import { useOptions } from '../reference';
import { useCan } from '../session';
import { LetterTable } from './letter-table';

/** The letters I asked for (or am copied on), newest first. */
export default function MyLettersPage() {
  const { t } = useI18n();
  const can = useCan();
  const options = useOptions();
  const [query, setQuery] = useListQuery({ page: '1', search: '', sort: '-createdAt', status: '' });
  const letters = useQuery({
    queryKey: ['letters', 'mine', query],
    queryFn: () =>
      call(api.GET('/api/users/me/letters', { params: { query: compact({ ...query, page: Number(query.page), limit: 20, status: query.status as never }) } })),
    placeholderData: keepPreviousData,
  });
  const { rows, page, totalPages, total } = pageOf(letters.data);
  return (
    <>
      <PageTitle
        actions={
          can('letters:create') ? (
            <Link className="button primary" to="/my-letters/new">
              {t('letters.request')}
            </Link>
          ) : null
        }
      >
        {t('nav.myLetters')}
      </PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <ChoiceFilter label={t('letters.status')} value={query.status} choices={options('letterStatus')} onChange={(value) => setQuery({ status: value })} />
      </form>
      <ErrorMessage error={letters.error} />
      <LetterTable caption={t('nav.myLetters')} letters={rows} sort={query.sort} onSort={(sort) => setQuery({ sort })} showApplicant={false} />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={(n) => setQuery({ page: String(n) })} />
    </>
  );
}
