import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ApiError, type FieldError } from '../api/client';
import { useI18n, type Translate } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

/** The page's heading, also its document title; focused on arrival so a screen reader announces it. */
export function PageTitle({ children, actions }: { children: string; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · Core`;
    heading.current?.focus();
  }, [children]);
  return (
    <div className="page-title">
      <h1 ref={heading} tabIndex={-1}>
        {children}
      </h1>
      {actions ? <div className="actions">{actions}</div> : null}
    </div>
  );
}

/** What went wrong, in the UI language where the status says enough, else the server's message. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useI18n();
  return (error) => {
    if (!(error instanceof ApiError)) return t('error.unexpected');
    const byStatus: Partial<Record<number, MessageKey>> = {
      0: 'error.network',
      401: 'error.signedOut',
      403: 'error.forbidden',
      404: 'error.notFound',
      413: 'error.tooLarge',
      415: 'error.unsupportedType',
      500: 'error.server',
      503: 'error.unavailable',
    };
    const key = byStatus[error.status];
    if (key) return t(key);
    if (error.status === 429) return t('error.tooMany', { seconds: error.retryAfterSeconds ?? 60 });
    return error.message;
  };
}

export function ErrorMessage({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  return (
    <p className="alert error" role="alert">
      {text(error)}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="alert success" role="status">
      {children}
    </p>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** `body.father.name` → `father.name`; `body.specialNeeds[2]` → `specialNeeds`. */
export function fieldOf(error: FieldError): string {
  return error.field.replace(/^(body|query|params)\.?/, '').replace(/\[\d+\].*$/, '');
}

/**
 * Every field error of a refused form, listed at its top with links to the fields (which show
 * their own message too); it takes the focus so keyboard and screen-reader users hear it.
 */
export function ErrorSummary({ error, labels }: { error: unknown; labels: Record<string, string> }) {
  const { t } = useI18n();
  const text = useErrorText();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) box.current?.focus();
  }, [error]);
  if (!error) return null;
  const errors = error instanceof ApiError ? error.errors : [];
  return (
    <div className="alert error" role="alert" tabIndex={-1} ref={box}>
      <p>{errors.length > 0 ? t('form.fixErrors', { count: errors.length }) : text(error)}</p>
      {errors.length > 0 ? (
        <ul>
          {errors.map((e, i) => (
            <li key={i}>
              <a href={`#field-${fieldOf(e)}`}>{labels[fieldOf(e)] ?? e.field}</a>: {fieldMessage(e, t)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Core's generic validation codes, said in the UI language; other codes keep Core's own (English) message. */
const FIELD_CODES: Partial<Record<string, MessageKey>> = {
  REQUIRED: 'fieldError.REQUIRED',
  INVALID_TYPE: 'fieldError.INVALID_TYPE',
  INVALID_FORMAT: 'fieldError.INVALID_FORMAT',
  INVALID_VALUE: 'fieldError.INVALID_VALUE',
  INVALID_LENGTH: 'fieldError.INVALID_LENGTH',
  OUT_OF_RANGE: 'fieldError.OUT_OF_RANGE',
  INVALID_DATE: 'fieldError.INVALID_DATE',
  DUPLICATE: 'fieldError.DUPLICATE',
  DUPLICATE_ITEMS: 'fieldError.DUPLICATE_ITEMS',
  INVALID_CHARACTER: 'fieldError.INVALID_CHARACTER',
};

export function fieldMessage(error: FieldError, t: Translate): string {
  const key = FIELD_CODES[error.code];
  return (key && t(key)) || error.message;
}

/** The messages a refused form gives each field, keyed by field path. */
export function fieldErrors(error: unknown, t: Translate): Record<string, string> {
  const byField: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const e of error.errors) {
      const field = fieldOf(e);
      const message = fieldMessage(e, t);
      byField[field] = byField[field] ? `${byField[field]}; ${message}` : message;
    }
  }
  return byField;
}

interface FieldShellProps {
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined; required: boolean }) => ReactNode;
}

/** A label, the control, its hint and its error, wired together for assistive technology. */
export function FieldShell({ name, label, error, hint, required = false, children }: FieldShellProps) {
  const id = `field-${name}`;
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy, required })}
      {hint ? (
        <small id={hintId} className="hint">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={errorId} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

export function Pagination({
  page,
  totalPages,
  total,
  onPage,
}: {
  page: number;
  totalPages: number;
  total: number;
  onPage(page: number): void;
}) {
  const { t, format } = useI18n();
  return (
    <nav className="pagination" aria-label={t('list.pagination')}>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        {t('list.previous')}
      </button>
      <span aria-live="polite">
        {t('list.pageOf', { page: format.number(page), pages: format.number(Math.max(totalPages, 1)), total: format.number(total) })}
      </span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= totalPages}>
        {t('list.next')}
      </button>
    </nav>
  );
}

export interface Column<T> {
  header: string;
  cell(row: T): ReactNode;
  /** The API's sort field, when the column can be sorted. */
  sort?: string;
}

/**
 * A table whose sortable headers are buttons (keyboard-reachable) and announce the order with
 * aria-sort; `sort` is the API's `sort` value (`name`, `-name`).
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  empty,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey(row: T): string;
  sort?: string;
  onSort?(sort: string): void;
  empty?: string;
}) {
  const { t } = useI18n();
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const direction = column.sort && sort === column.sort ? 'ascending' : column.sort && sort === `-${column.sort}` ? 'descending' : undefined;
              return (
                <th key={column.header} scope="col" aria-sort={direction ?? (column.sort ? 'none' : undefined)}>
                  {column.sort && onSort ? (
                    <button type="button" className="sort" onClick={() => onSort(direction === 'ascending' ? `-${column.sort}` : column.sort!)}>
                      {column.header}
                      <span aria-hidden="true">{direction === 'ascending' ? ' ▲' : direction === 'descending' ? ' ▼' : ' ↕'}</span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length}>{empty ?? t('list.empty')}</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.header} data-label={column.header}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A filter's label and control, tied by id so the control's name is the label alone. */
export function Filter({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

/** A form in its own panel: a heading, the refusal's summary at the top, submitted without a page load. */
export function FormPanel({
  id,
  title,
  error,
  labels,
  onSubmit,
  children,
}: {
  id: string;
  title: string;
  error: unknown;
  labels: Record<string, string>;
  onSubmit(): void;
  children: ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <ErrorSummary error={error} labels={labels} />
        {children}
      </form>
    </section>
  );
}
