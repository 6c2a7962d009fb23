import { useMemo } from 'react';
import { resolveLanguage, translator, type Translate } from '../i18n';
import { useConfig } from '../stores';

/** The translate function for the language in the config; re-renders live when ui.language changes. */
export function useT(): Translate {
  const language = useConfig((state) => resolveLanguage(state.config?.ui?.language));
  return useMemo(() => translator(language), [language]);
}
