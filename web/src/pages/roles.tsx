import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, call, pageOf, result } from '../api/client';
import { DataTable, ErrorMessage, fieldErrors, FieldShell, FormPanel, PageTitle, Pagination } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session';

export default function RolesPage() {
  const { t, format } = useI18n();
  const can = useCan();
  const [page, setPage] = useState(1);
  const roles = useQuery({ queryKey: ['roles', page], queryFn: () => call(api.GET('/api/roles', { params: { query: { page, limit: 50, sort: 'name' } } })) });
  const { rows, totalPages, total } = pageOf(roles.data);
  return (
    <>
      <PageTitle>{t('nav.roles')}</PageTitle>
      <ErrorMessage error={roles.error} />
      <DataTable
        caption={t('nav.roles')}
        rows={rows}
        rowKey={(r) => r.id}
        columns={[
          { header: t('roles.name'), cell: (r) => <Link to={`/roles/${r.id}`}>{r.name}</Link> },
          { header: t('roles.description'), cell: (r) => r.description ?? '—' },
          { header: t('roles.members'), cell: (r) => format.number(r.memberCount) },
          { header: t('roles.permissions'), cell: (r) => format.number(r.permissions.length) },
          { header: t('roles.system'), cell: (r) => (r.system ? t('common.yes') : t('common.no')) },
        ]}
      />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={setPage} />
      {can('roles:write') ? <NewRole /> : null}
    </>
  );
}

function NewRole() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => result(api.POST('/api/roles', { body: { name, ...(description.trim() ? { description: description.trim() } : {}), permissions: [] } })),
    onSuccess: async (role) => {
      await queryClient.invalidateQueries({ queryKey: ['roles'] });
      navigate(`/roles/${role.id}`);
    },
  });
  const errors = fieldErrors(create.error, t);
  const labels = { name: t('roles.name'), description: t('roles.description') };
  return (
    <FormPanel id="new-role" title={t('roles.new')} error={create.error} labels={labels} onSubmit={() => create.mutate()}>
      <div className="grid">
        <FieldShell name="name" label={labels.name} error={errors.name} hint={t('roles.nameHint')} required>
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} />}
        </FieldShell>
        <FieldShell name="description" label={labels.description} error={errors.description}>
          {(props) => <input {...props} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </FieldShell>
      </div>
      <button type="submit" className="primary" disabled={create.isPending}>
        {t('common.create')}
      </button>
    </FormPanel>
  );
}
