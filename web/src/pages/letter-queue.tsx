import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, call, compact, pageOf } from '../api/client';
import { ChoiceFilter, SearchFilter } from '../components/choices';
import { ErrorMessage, Filter, PageTitle, Pagination } from '../components/ui';
import { useListQuery } from '../components/use-list-query';
import { useI18n } from '../i18n/i18n';
import { useOptions } from '../reference';
import { LetterTable } from './letter-table';

/** The reviewers' queue: pending requests first, oldest first, so nobody waits longest. */
export default function LetterQueuePage() {
  const { t } = useI18n();
  const options = useOptions();
  const [query, setQuery] = useListQuery({ page: '1', search: '', sort: 'createdAt', status: 'PENDING', letterType: '', from: '', to: '' });
  const letters = useQuery({
    queryKey: ['letters', 'queue', query],
    queryFn: () =>
      call(
        api.GET('/api/letters', {
          params: { query: compact({ ...query, page: Number(query.page), limit: 20, status: query.status as never, letterType: query.letterType as never }) },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const { rows, page, totalPages, total } = pageOf(letters.data);
  return (
    <>
      <PageTitle>{t('letters.queue')}</PageTitle>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <SearchFilter label={t('list.search')} value={query.search} placeholder={t('letters.searchHint')} onSearch={(search) => setQuery({ search })} />
        <ChoiceFilter label={t('letters.status')} value={query.status} choices={options('letterStatus')} onChange={(value) => setQuery({ status: value })} />
        <ChoiceFilter label={t('letters.type')} value={query.letterType} choices={options('letterType')} onChange={(value) => setQuery({ letterType: value })} />
        <Filter label={t('letters.from')}>
          {(id) => (
            <input id={id} type="date" value={query.from} onChange={(e) => setQuery({ from: e.target.value })} />
          )}
        </Filter>
        <Filter label={t('letters.to')}>
          {(id) => (
            <input id={id} type="date" value={query.to} onChange={(e) => setQuery({ to: e.target.value })} />
          )}
        </Filter>
      </form>
      <ErrorMessage error={letters.error} />
      <LetterTable caption={t('letters.queue')} letters={rows} sort={query.sort} onSort={(sort) => setQuery({ sort })} showApplicant />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={(n) => setQuery({ page: String(n) })} />
    </>
  );
}
