import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, result, type Schemas } from './api/client';
import { useI18n } from './i18n/i18n';

export type ReferenceLists = Schemas['ReferenceLists'];
export type ListName = keyof ReferenceLists;

/** Core's value lists (religion, Dapodik lists…), each item with its Indonesian label. */
export function useReference() {
  return useQuery({ queryKey: ['reference'], queryFn: () => result(api.GET('/api/reference')), staleTime: Infinity });
}

/** `MOTORCYCLE_TAXI` → `Motorcycle taxi`: the English label of a value (Core's values are English). */
function humanize(value: string): string {
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of a list's value in the UI language: Dapodik's Indonesian label, or the English value. */
export function useLabel(): (list: ListName, value: string | null | undefined) => string {
  const { data } = useReference();
  const { language } = useI18n();
  return useCallback(
    (list, value) => {
      if (value === null || value === undefined || value === '') return '—';
      if (language === 'en') return humanize(value);
      return data?.[list]?.find((item) => item.value === value)?.label ?? humanize(value);
    },
    [data, language],
  );
}

export function useOptions(): (list: ListName) => { value: string; label: string }[] {
  const { data } = useReference();
  const label = useLabel();
  return useCallback((list) => (data?.[list] ?? []).map((item) => ({ value: item.value, label: label(list, item.value) })), [data, label]);
}
