import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call, compact, pageOf, result, type Schemas } from '../api/client';
import { ChoiceFilter, DeletePanel, SearchFilter, useChosen } from '../components/choices';
import { DataTable, ErrorMessage, Loading, Notice, PageTitle, Pagination } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useLabel, useOptions } from '../reference';
import { useCan } from '../session';

type Role = Schemas['Roles'];
type User = Schemas['User'];

export default function RolePage() {
  const { id } = useParams() as { id: string };
  const { t } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const role = useQuery({ queryKey: ['roles', id], queryFn: () => result(api.GET('/api/roles/{id}', { params: { path: { id } } })) });
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/api/roles/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['roles'] });
      navigate('/roles');
    },
  });
  if (role.isPending) return <Loading />;
  if (role.isError) return <ErrorMessage error={role.error} />;
  const r = role.data;
  return (
    <>
      <PageTitle actions={<Link to="/roles">{t('common.backToList')}</Link>}>{t('roles.title', { name: r.name })}</PageTitle>
      {r.description ? <p>{r.description}</p> : null}
      <Permissions role={r} />
      <Members role={r} />
      {can('roles:write') ? <AddMembers role={r} /> : null}
      {can('roles:delete') && !r.system ? (
        <DeletePanel label={t('roles.delete')} confirm={t('roles.confirmDelete', { name: r.name })} error={remove.error} onDelete={() => remove.mutate()} />
      ) : null}
    </>
  );
}

/** The catalogue grouped by resource, a checkbox per permission; the administrator's are fixed. */
function Permissions({ role }: { role: Role }) {
  const { t } = useI18n();
  const can = useCan();
  const queryClient = useQueryClient();
  const catalogue = useQuery({ queryKey: ['permissions'], queryFn: () => result(api.GET('/api/roles/permissions')), staleTime: Infinity });
  const [chosen, setChosen] = useState<Set<string>>(new Set(role.permissions));
  useEffect(() => setChosen(new Set(role.permissions)), [role.permissions]);
  const save = useMutation({
    mutationFn: () => result(api.PATCH('/api/roles/{id}', { params: { path: { id: role.id } }, body: { permissions: [...chosen] } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['roles'] }),
  });
  const groups = useMemo(() => {
    const byResource = new Map<string, Schemas['Permission'][]>();
    for (const permission of catalogue.data ?? []) byResource.set(permission.resource, [...(byResource.get(permission.resource) ?? []), permission]);
    return [...byResource.entries()];
  }, [catalogue.data]);
  const fixed = role.name === 'administrator' || !can('roles:write');
  // A resource or permission added to Core after these texts were written shows Core's own words.
  const textOr = (key: string, fallback: string) => {
    const text = t(key as MessageKey);
    return text && text !== key ? text : fallback;
  };
  return (
    <section className="panel" aria-labelledby="permissions">
      <h2 id="permissions">{t('roles.permissions')}</h2>
      {role.name === 'administrator' ? <p className="hint">{t('roles.adminFixed')}</p> : null}
      <ErrorMessage error={catalogue.error ?? save.error} />
      {save.isSuccess ? <Notice>{t('common.saved')}</Notice> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="permission-groups">
          {groups.map(([resource, permissions]) => (
            <fieldset key={resource} className="checks" disabled={fixed}>
              <legend>{textOr(`resource.${resource}`, resource)}</legend>
              {permissions.map((p) => (
                <label key={p.name} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.has(p.name)}
                    onChange={(e) =>
                      setChosen((current) => {
                        const next = new Set(current);
                        if (e.target.checked) next.add(p.name);
                        else next.delete(p.name);
                        return next;
                      })
                    }
                  />{' '}
                  <code>{p.name}</code> — {textOr(`permission.${p.name}`, p.description)}
                </label>
              ))}
            </fieldset>
          ))}
        </div>
        {!fixed ? (
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('roles.savePermissions')}
          </button>
        ) : null}
      </form>
    </section>
  );
}

type UserPage = { result: User[]; meta: { page?: number; totalPages?: number; total?: number } };

/**
 * Users of a role's list (its members, or those who may join), searchable by name and account
 * type, ticked across pages for one bulk request whose outcome is said when it lands.
 */
function BulkUsers({
  id,
  title,
  list,
  action,
}: {
  id: string;
  title: string;
  list(query: { page: number; limit: number; search?: string; type?: string }): Promise<UserPage>;
  action: { label(count: number): string; done(count: number): string; danger?: boolean; run(userIds: string[]): Promise<number> } | null;
}) {
  const { t } = useI18n();
  const label = useLabel();
  const options = useOptions();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [type, setType] = useState('');
  const selection = useChosen();
  const users = useQuery({
    queryKey: ['roles', id, page, search, type],
    queryFn: () => list(compact({ page, limit: 20, search, type })),
    placeholderData: keepPreviousData,
  });
  const act = useMutation({
    mutationFn: () => action!.run([...selection.chosen.keys()]),
    onSuccess: async () => {
      selection.clear();
      await queryClient.invalidateQueries({ queryKey: ['roles'] });
    },
  });
  const { rows, totalPages, total } = pageOf(users.data);
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <div className="filters">
        <SearchFilter
          label={t('list.search')}
          onSearch={(value) => {
            setSearch(value);
            setPage(1);
          }}
        />
        <ChoiceFilter
          label={t('roles.type')}
          value={type}
          choices={options('userType')}
          onChange={(value) => {
            setType(value);
            setPage(1);
          }}
        />
      </div>
      <ErrorMessage error={users.error ?? act.error} />
      {act.isSuccess && action ? <Notice>{action.done(act.data)}</Notice> : null}
      <DataTable
        caption={title}
        rows={rows}
        rowKey={(u) => u.id}
        columns={[
          ...(action
            ? [
                {
                  header: t('roles.select'),
                  cell: (u: User) => (
                    <input type="checkbox" aria-label={t('roles.selectOne', { name: u.name })} checked={selection.chosen.has(u.id)} onChange={(e) => selection.toggle(u.id, u.name, e.target.checked)} />
                  ),
                },
              ]
            : []),
          { header: t('field.name'), cell: (u) => u.name },
          { header: t('field.email'), cell: (u) => u.email },
          { header: t('roles.type'), cell: (u) => label('userType', u.type) },
        ]}
      />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={setPage} />
      {action ? (
        <button type="button" className={action.danger ? 'danger' : 'primary'} disabled={selection.chosen.size === 0 || act.isPending} onClick={() => act.mutate()}>
          {action.label(selection.chosen.size)}
        </button>
      ) : null}
    </section>
  );
}

function Members({ role }: { role: Role }) {
  const { t } = useI18n();
  const can = useCan();
  const path = { id: role.id };
  return (
    <BulkUsers
      id="members"
      title={t('roles.members')}
      list={(query) => call(api.GET('/api/roles/{id}/members', { params: { path, query: query as never } }))}
      action={
        can('roles:write')
          ? {
              danger: true,
              label: (count) => t('roles.removeSelected', { count }),
              done: (count) => t('roles.removed', { count }),
              run: async (userIds) => (await result(api.DELETE('/api/roles/{id}/members', { params: { path }, body: { userIds } }))).removed.length,
            }
          : null
      }
    />
  );
}

function AddMembers({ role }: { role: Role }) {
  const { t } = useI18n();
  const path = { id: role.id };
  return (
    <BulkUsers
      id="add-members"
      title={t('roles.addMembers')}
      list={(query) => call(api.GET('/api/roles/{id}/eligible-users', { params: { path, query: query as never } }))}
      action={{
        label: (count) => t('roles.addSelected', { count }),
        done: (count) => t('roles.added', { count }),
        run: async (userIds) => (await result(api.POST('/api/roles/{id}/members', { params: { path }, body: { userIds } }))).added.length,
      }}
    />
  );
}
