import { useCallback } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

/** The label of a record's field (`address.city` → "Kabupaten/Kota"), from the `field.*` messages. */
export function useFieldLabel(): (path: string) => string {
  const { t } = useI18n();
  return useCallback((path: string) => t(`field.${path}` as MessageKey), [t]);
}
