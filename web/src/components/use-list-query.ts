import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A list's page, search, sort and filters kept in the address (?page=2&gender=FEMALE), so the
 * back button, a reload and a shared link show the same list. Changing anything but the page
 * goes back to page 1.
 */
export function useListQuery<K extends string>(defaults: Record<K | 'page' | 'search' | 'sort', string>) {
  const [params, setParams] = useSearchParams();
  // A page's defaults are a literal that never changes: the address alone decides the values.
  const values = useMemo(() => {
    const current = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof typeof defaults)[]) {
      const value = params.get(key);
      if (value !== null) current[key] = value;
    }
    return current;
  }, [params]);

  const set = useCallback(
    (changes: Partial<Record<K | 'page' | 'search' | 'sort', string>>) => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(changes) as [string, string][]) {
            if (value === '' || value === defaults[key as K]) next.delete(key);
            else next.set(key, value);
          }
          if (!('page' in changes)) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams, defaults],
  );

  return [values, set] as const;
}

/** A value that follows its input after the typing has paused (search boxes). */
export function useDebounced<T>(value: T, milliseconds = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), milliseconds);
    return () => clearTimeout(timer);
  }, [value, milliseconds]);
  return settled;
}
