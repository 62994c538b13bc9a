import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, result } from '../api/client';
import { ErrorMessage, ErrorSummary, FieldShell, fieldErrors, Loading, Notice, PageTitle, Filter } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useOptions } from '../reference';
import { useCan } from '../session';
import { OBJECT_FIELDS, PERMISSION, SECTIONS, type FieldSpec, type PersonKind } from './people';
import { createPerson, getPerson, updatePerson, type Person, type PersonBody } from './person-api';
import { useFieldLabel } from './field-labels';

interface EducationRow {
  level: string;
  institution: string;
  major: string;
  graduationYear: string;
}
type Value = string | boolean | string[] | EducationRow[];
type Values = Record<string, Value>;

function valueAt(record: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), record);
}

/** The form's values from a record (or empty for a new one). */
function toValues(fields: FieldSpec[], record: Person | undefined): Values {
  const values: Values = {};
  for (const field of fields) {
    const value = valueAt(record, field.path);
    if (field.kind === 'checkbox') values[field.path] = value === true;
    else if (field.kind === 'multiselect') values[field.path] = Array.isArray(value) ? (value as string[]) : [];
    else if (field.kind === 'commaList') values[field.path] = Array.isArray(value) ? (value as string[]).join(', ') : '';
    else if (field.kind === 'education')
      values[field.path] = Array.isArray(value)
        ? (value as Record<string, unknown>[]).map((row) => ({
            level: String(row.level ?? ''),
            institution: String(row.institution ?? ''),
            major: String(row.major ?? ''),
            graduationYear: row.graduationYear == null ? '' : String(row.graduationYear),
          }))
        : [];
    else values[field.path] = value === null || value === undefined ? '' : String(value);
  }
  return values;
}

/** A typed integer, or what was typed, so Core can name the field if it is not a number. */
function integerOrText(text: string): number | string {
  return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
}

function scalar(field: FieldSpec, value: Value): unknown {
  if (field.kind === 'checkbox' || field.kind === 'multiselect') return value;
  if (field.kind === 'commaList') return String(value).split(',').map((s) => s.trim()).filter(Boolean);
  if (field.kind === 'education')
    return (value as EducationRow[]).map((row) => ({
      level: row.level,
      institution: row.institution,
      major: row.major.trim() || null,
      graduationYear: row.graduationYear.trim() ? integerOrText(row.graduationYear) : null,
    }));
  const text = String(value).trim();
  if (text === '') return null;
  return field.kind === 'integer' ? integerOrText(text) : text;
}

/**
 * The body to send: empty fields are left out of a new record and cleared (null) on an existing
 * one; an address, parent, welfare or bank group left wholly empty is no object at all, and a
 * filled one keeps the parts the form does not show (an address's map location).
 */
function toBody(fields: FieldSpec[], values: Values, original: Person | undefined): PersonBody {
  const creating = original === undefined;
  const body: PersonBody = {};
  const groups: Record<string, Record<string, unknown>> = {};
  for (const field of fields) {
    if (field.createOnly && !creating) continue;
    const value = scalar(field, values[field.path]!);
    const [head, ...rest] = field.path.split('.');
    if (rest.length > 0 && OBJECT_FIELDS.includes(head!)) {
      (groups[head!] ??= {})[rest.join('.')] = value;
    } else if (value !== null || !creating) {
      if (!(field.kind === 'password' && value === null)) body[field.path] = value;
    }
  }
  for (const [name, parts] of Object.entries(groups)) {
    const filled = Object.values(parts).some((v) => v !== null && v !== false);
    const before = (valueAt(original, name) ?? null) as Record<string, unknown> | null;
    // A part left empty that the record never had stays absent, rather than becoming null.
    const given = Object.entries(parts).filter(([key, v]) => (v !== null && v !== false) || (before !== null && key in before));
    if (filled) body[name] = { ...before, ...Object.fromEntries(given) };
    else if (!creating && before) body[name] = null;
  }
  return body;
}

export default function PersonFormPage({ kind }: { kind: PersonKind }) {
  const { id } = useParams();
  const { t, format } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const label = useFieldLabel();
  const fields = useMemo(() => SECTIONS[kind].flatMap((s) => s.fields), [kind]);
  const record = useQuery({ queryKey: [kind, id], queryFn: () => getPerson(kind, id!), enabled: id !== undefined });
  const [values, setValues] = useState<Values>(() => toValues(fields, undefined));
  const created = (location.state as { created?: boolean; temporaryPassword?: string } | null) ?? null;

  useEffect(() => {
    if (record.data) setValues(toValues(fields, record.data));
  }, [record.data, fields]);

  const save = useMutation({
    mutationFn: async () => {
      const body = toBody(fields, values, record.data);
      if (id === undefined) return { created: await createPerson(kind, body) };
      return { updated: await updatePerson(kind, id, body) };
    },
    onSuccess: async (outcome) => {
      await queryClient.invalidateQueries({ queryKey: [kind] });
      if (outcome.created)
        navigate(`/${kind}/${outcome.created.id}`, { state: { created: true, temporaryPassword: outcome.created.temporaryPassword } });
    },
  });

  if (id !== undefined && record.isPending) return <Loading />;
  if (record.isError) return <ErrorMessage error={record.error} />;

  const writable = can(PERMISSION[kind].write);
  const errors = fieldErrors(save.error, t);
  const labels = Object.fromEntries(fields.map((f) => [f.path, label(f.path)]));
  const set = (path: string, value: Value) => setValues((current) => ({ ...current, [path]: value }));
  const title = id === undefined ? t(`people.new.${kind}`) : (record.data?.name ?? '');

  return (
    <>
      <PageTitle actions={<Link to={`/${kind}`}>{t('common.backToList')}</Link>}>{title}</PageTitle>
      {created?.created ? (
        <Notice>
          {t('people.created')}
          {created.temporaryPassword ? (
            <>
              {' '}
              {t('people.temporaryPassword')} <code className="secret">{created.temporaryPassword}</code>
            </>
          ) : null}
        </Notice>
      ) : null}
      {save.data?.updated ? <Notice>{t('common.saved')}</Notice> : null}
      {record.data && 'className' in record.data && record.data.classId ? (
        <p>
          {t('person.class')}: <Link to={`/classes/${record.data.classId}`}>{record.data.className}</Link>
        </p>
      ) : null}
      {record.data?.deletedAt ? <p className="alert warning">{t('people.deletedOn', { date: format.dateTime(record.data.deletedAt) })}</p> : null}
      <form
        noValidate
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <ErrorSummary error={save.error} labels={labels} />
        <fieldset disabled={!writable || save.isPending} className="plain">
          {SECTIONS[kind].map((section) => (
            <fieldset key={section.title} className="section">
              <legend>{t(section.title)}</legend>
              <div className="grid">
                {section.fields
                  .filter((field) => !field.createOnly || id === undefined)
                  .map((field) => (
                    <PersonField key={field.path} field={field} label={labels[field.path]!} value={values[field.path]!} error={errors[field.path]} onChange={(v) => set(field.path, v)} />
                  ))}
              </div>
            </fieldset>
          ))}
          {writable ? (
            <button type="submit" className="primary">
              {id === undefined ? t('common.create') : t('common.save')}
            </button>
          ) : null}
        </fieldset>
      </form>
      {record.data && can('users:write') ? <AccountPassword userId={record.data.userId} name={record.data.name} /> : null}
    </>
  );
}

/** A forgotten password: a new temporary one, shown once; the person is signed out everywhere. */
function AccountPassword({ userId, name }: { userId: string; name: string }) {
  const { t } = useI18n();
  const reset = useMutation({ mutationFn: () => result(api.PATCH('/api/users/{id}/password', { params: { path: { id: userId } }, body: {} })) });
  return (
    <section className="panel" aria-labelledby="account-password">
      <h2 id="account-password">{t('people.password')}</h2>
      <p>{t('people.passwordHelp')}</p>
      <ErrorMessage error={reset.error} />
      {reset.data?.temporaryPassword ? (
        <Notice>
          {t('people.temporaryPassword')} <code className="secret">{reset.data.temporaryPassword}</code>
        </Notice>
      ) : null}
      <button
        type="button"
        disabled={reset.isPending}
        onClick={() => {
          if (window.confirm(t('people.confirmReset', { name }))) reset.mutate();
        }}
      >
        {t('people.resetPassword')}
      </button>
    </section>
  );
}

function PersonField({ field, label, value, error, onChange }: { field: FieldSpec; label: string; value: Value; error: string | undefined; onChange(value: Value): void }) {
  const { t } = useI18n();
  const options = useOptions();
  const hint = field.hint ? t(field.hint) : undefined;
  if (field.kind === 'education') return <EducationEditor rows={value as EducationRow[]} error={error} onChange={onChange} />;
  if (field.kind === 'checkbox')
    return (
      <div className="field">
        <label className="check" id={`field-${field.path}`}>
          <input type="checkbox" checked={value as boolean} onChange={(e) => onChange(e.target.checked)} /> {label}
        </label>
      </div>
    );
  if (field.kind === 'multiselect') {
    const chosen = value as string[];
    return (
      <fieldset className="field checks" id={`field-${field.path}`} aria-invalid={Boolean(error)}>
        <legend>{label}</legend>
        {options(field.list!).map((option) => (
          <label key={option.value} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(option.value)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, option.value] : chosen.filter((v) => v !== option.value))}
            />{' '}
            {option.label}
          </label>
        ))}
        {error ? <small className="field-error">{error}</small> : null}
      </fieldset>
    );
  }
  return (
    <FieldShell name={field.path} label={label} error={error} hint={hint} required={field.required}>
      {(props) =>
        field.kind === 'select' ? (
          <select {...props} value={value as string} onChange={(e) => onChange(e.target.value)}>
            <option value="">{t('common.none')}</option>
            {options(field.list!).map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        ) : (
          <input
            {...props}
            type={field.kind === 'integer' ? 'text' : field.kind === 'commaList' ? 'text' : field.kind}
            inputMode={field.kind === 'integer' || field.numeric ? 'numeric' : undefined}
            autoComplete={field.kind === 'password' ? 'new-password' : 'off'}
            value={value as string}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </FieldShell>
  );
}

function EducationEditor({ rows, error, onChange }: { rows: EducationRow[]; error: string | undefined; onChange(rows: EducationRow[]): void }) {
  const { t } = useI18n();
  const options = useOptions();
  const label = useFieldLabel();
  const update = (index: number, change: Partial<EducationRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset className="field wide" id="field-educationHistory">
      <legend>{label('educationHistory')}</legend>
      {rows.map((row, index) => (
        <div className="row-editor" key={index} role="group" aria-label={t('education.row', { number: index + 1 })}>
          <Filter label={label('education.level')}>
            {(id) => (
              <select id={id} value={row.level} onChange={(e) => update(index, { level: e.target.value })}>
                <option value="">{t('common.none')}</option>
                {options('education').map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </Filter>
          <Filter label={label('education.institution')}>
            {(id) => (
              <input id={id} value={row.institution} onChange={(e) => update(index, { institution: e.target.value })} />
            )}
          </Filter>
          <Filter label={label('education.major')}>
            {(id) => (
              <input id={id} value={row.major} onChange={(e) => update(index, { major: e.target.value })} />
            )}
          </Filter>
          <Filter label={label('education.graduationYear')}>
            {(id) => (
              <input id={id} inputMode="numeric" value={row.graduationYear} onChange={(e) => update(index, { graduationYear: e.target.value })} />
            )}
          </Filter>
          <button type="button" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            {t('common.remove')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { level: '', institution: '', major: '', graduationYear: '' }])}>
        {t('education.add')}
      </button>
      {error ? <small className="field-error">{error}</small> : null}
    </fieldset>
  );
}
