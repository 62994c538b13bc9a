import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call, compact, pageOf, result, type Schemas } from '../api/client';
import { DataTable, ErrorMessage, Loading, Notice, PageTitle, Pagination, Filter } from '../components/ui';
import { useDebounced } from '../components/use-list-query';
import { useI18n } from '../i18n/i18n';
import { useLabel } from '../reference';
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
        <section className="panel">
          <ErrorMessage error={remove.error} />
          <button
            type="button"
            className="danger"
            onClick={() => {
              if (window.confirm(t('roles.confirmDelete', { name: r.name }))) remove.mutate();
            }}
          >
            {t('roles.delete')}
          </button>
        </section>
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
              <legend>{resource}</legend>
              {permissions.map((p) => (
                <label key={p.name} className="check" title={p.description}>
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
                  <code>{p.name}</code> — {p.description}
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

/** Users picked by checkbox across a page of a list, for one bulk request. */
function useSelection() {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return { selected, toggle, clear: () => setSelected(new Set()) };
}

function UserPicker({ users, selection, caption }: { users: User[]; selection: ReturnType<typeof useSelection>; caption: string }) {
  const { t } = useI18n();
  const label = useLabel();
  return (
    <DataTable
      caption={caption}
      rows={users}
      rowKey={(u) => u.id}
      columns={[
        {
          header: t('roles.select'),
          cell: (u) => <input type="checkbox" aria-label={t('roles.selectOne', { name: u.name })} checked={selection.selected.has(u.id)} onChange={(e) => selection.toggle(u.id, e.target.checked)} />,
        },
        { header: t('field.name'), cell: (u) => u.name },
        { header: t('field.email'), cell: (u) => u.email },
        { header: t('roles.type'), cell: (u) => label('userType', u.type) },
      ]}
    />
  );
}

function Members({ role }: { role: Role }) {
  const { t } = useI18n();
  const can = useCan();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText);
  const selection = useSelection();
  const members = useQuery({
    queryKey: ['roles', role.id, 'members', page, search],
    queryFn: () => call(api.GET('/api/roles/{id}/members', { params: { path: { id: role.id }, query: compact({ page, limit: 20, search }) } })),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: () => result(api.DELETE('/api/roles/{id}/members', { params: { path: { id: role.id } }, body: { userIds: [...selection.selected] } })),
    onSuccess: async () => {
      selection.clear();
      await queryClient.invalidateQueries({ queryKey: ['roles'] });
    },
  });
  const { rows, totalPages, total } = pageOf(members.data);
  return (
    <section className="panel" aria-labelledby="members">
      <h2 id="members">{t('roles.members')}</h2>
      <Filter label={t('list.search')}>
        {(id) => (
          <input id={id} type="search" value={searchText} onChange={(e) => {
            setSearchText(e.target.value);
            setPage(1);
          }} />
        )}
      </Filter>
      <ErrorMessage error={members.error ?? remove.error} />
      {remove.isSuccess ? <Notice>{t('roles.removed', { count: remove.data.removed.length })}</Notice> : null}
      <UserPicker users={rows} selection={selection} caption={t('roles.members')} />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={setPage} />
      {can('roles:write') ? (
        <button type="button" className="danger" disabled={selection.selected.size === 0 || remove.isPending} onClick={() => remove.mutate()}>
          {t('roles.removeSelected', { count: selection.selected.size })}
        </button>
      ) : null}
    </section>
  );
}

function AddMembers({ role }: { role: Role }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [searchText, setSearchText] = useState('');
  const [type, setType] = useState('');
  const search = useDebounced(searchText);
  const selection = useSelection();
  const label = useLabel();
  const eligible = useQuery({
    queryKey: ['roles', role.id, 'eligible', page, search, type],
    queryFn: () => call(api.GET('/api/roles/{id}/eligible-users', { params: { path: { id: role.id }, query: compact({ page, limit: 20, search, type: type as never }) } })),
    placeholderData: keepPreviousData,
  });
  const add = useMutation({
    mutationFn: () => result(api.POST('/api/roles/{id}/members', { params: { path: { id: role.id } }, body: { userIds: [...selection.selected] } })),
    onSuccess: async () => {
      selection.clear();
      await queryClient.invalidateQueries({ queryKey: ['roles'] });
    },
  });
  const { rows, totalPages, total } = pageOf(eligible.data);
  return (
    <section className="panel" aria-labelledby="add-members">
      <h2 id="add-members">{t('roles.addMembers')}</h2>
      <div className="filters">
        <Filter label={t('list.search')}>
          {(id) => (
            <input id={id} type="search" value={searchText} onChange={(e) => {
              setSearchText(e.target.value);
              setPage(1);
            }} />
          )}
        </Filter>
        <Filter label={t('roles.type')}>
          {(id) => (
            <select id={id} value={type} onChange={(e) => {
              setType(e.target.value);
              setPage(1);
            }}>
              <option value="">{t('common.all')}</option>
              {['STUDENT', 'TEACHER', 'STAFF', 'ADMIN'].map((value) => (
                <option key={value} value={value}>
                  {label('userType', value)}
                </option>
              ))}
            </select>
          )}
        </Filter>
      </div>
      <ErrorMessage error={eligible.error ?? add.error} />
      {add.isSuccess ? <Notice>{t('roles.added', { count: add.data.added.length })}</Notice> : null}
      <UserPicker users={rows} selection={selection} caption={t('roles.addMembers')} />
      <Pagination page={page} totalPages={totalPages} total={total} onPage={setPage} />
      <button type="button" className="primary" disabled={selection.selected.size === 0 || add.isPending} onClick={() => add.mutate()}>
        {t('roles.addSelected', { count: selection.selected.size })}
      </button>
    </section>
  );
}
