import { useEffect, useRef, useState, type SelectHTMLAttributes } from 'react';
import { useI18n } from '../i18n/i18n';
import { ErrorMessage, Filter } from './ui';
import { useDebounced } from './use-list-query';

export interface Choice {
  value: string;
  label: string;
}

/** A list filter: "All", then the choices (a reference list's, usually). */
export function ChoiceFilter({ label, value, choices, onChange }: { label: string; value: string; choices: Choice[]; onChange(value: string): void }) {
  const { t } = useI18n();
  return (
    <Filter label={label}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('common.all')}</option>
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </Filter>
  );
}

/** Grades as the school writes them: 10, 11, 12 are X, XI, XII. */
export const GRADES: Choice[] = [
  { value: '10', label: 'X' },
  { value: '11', label: 'XI' },
  { value: '12', label: 'XII' },
];

/** A grade picker for forms (a filter uses ChoiceFilter with GRADES). */
export function GradeSelect({ onChange, ...rest }: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange'> & { onChange(value: string): void }) {
  return (
    <select {...rest} onChange={(e) => onChange(e.target.value)}>
      {GRADES.map((grade) => (
        <option key={grade.value} value={grade.value}>
          {grade.label}
        </option>
      ))}
    </select>
  );
}

/** Things ticked in a list for one bulk request, remembered with their names to show what is chosen. */
export function useChosen() {
  const [chosen, setChosen] = useState<ReadonlyMap<string, string>>(new Map());
  return {
    chosen,
    toggle(id: string, name: string, on: boolean) {
      setChosen((current) => {
        const next = new Map(current);
        if (on) next.set(id, name);
        else next.delete(id);
        return next;
      });
    },
    clear: () => setChosen(new Map()),
  };
}

/** Deleting a whole thing (a class, a role): asked once more, and its refusal shown beside it. */
export function DeletePanel({ label, confirm, error, onDelete }: { label: string; confirm: string; error: unknown; onDelete(): void }) {
  return (
    <section className="panel">
      <ErrorMessage error={error} />
      <button
        type="button"
        className="danger"
        onClick={() => {
          if (window.confirm(confirm)) onDelete();
        }}
      >
        {label}
      </button>
    </section>
  );
}

/**
 * A search box that tells its list only once the typing has paused, so a list is not asked for
 * at every key; `value` is where the search starts (the address keeps a list's search).
 */
export function SearchFilter({ label, value = '', placeholder, onSearch }: { label: string; value?: string; placeholder?: string; onSearch(search: string): void }) {
  const [text, setText] = useState(value);
  const settled = useDebounced(text);
  const latest = useRef(value);
  useEffect(() => {
    if (settled === latest.current) return;
    latest.current = settled;
    onSearch(settled);
  }, [settled, onSearch]);
  return (
    <Filter label={label}>
      {(id) => <input id={id} type="search" value={text} placeholder={placeholder} onChange={(e) => setText(e.target.value)} />}
    </Filter>
  );
}
