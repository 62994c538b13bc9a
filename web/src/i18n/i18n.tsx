import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { messages, type MessageKey } from './messages';

export type Language = 'id' | 'en';
const LANGUAGES: Language[] = ['id', 'en'];
const STORAGE_KEY = 'core.language';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  /** Formats in the school's time zone (TIME_ZONE), whatever zone the browser is in. */
  format: Formatters;
}

export interface Formatters {
  /** An instant (`2026-03-30T12:04:16.780Z`) as the school's local date and time. */
  dateTime(iso: string | null | undefined): string;
  /** A calendar date (`2026-03-30`), which has no zone: shown as that day. */
  date(isoDate: string | null | undefined): string;
  number(value: number | null | undefined, fractionDigits?: number): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.includes(saved as Language) ? (saved as Language) : 'id';
}

export function I18nProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const index = language === 'id' ? 0 : 1;
    const locale = language === 'id' ? 'id-ID' : 'en-GB';
    const t: Translate = (key, values) => {
      // A key built at run time (`field.${path}`) that has no text shows itself, never a blank.
      const text: string = messages[key]?.[index] ?? key;
      return values ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole)) : text;
    };
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' });
    const format: Formatters = {
      dateTime: (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : '—'),
      date: (isoDate) => (isoDate ? dateFormat.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)) : '—'),
      number: (n, digits = 0) =>
        n === null || n === undefined ? '—' : n.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }),
    };
    return { language, setLanguage, t, format };
  }, [language, setLanguage, timeZone]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
