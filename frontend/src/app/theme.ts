import { useEffect } from 'react';
import { resolveLanguage } from '../i18n';
import { useConfig } from '../stores';

export type Theme = 'light' | 'dark' | 'system';

export function effectiveTheme(theme: Theme, prefersDark: boolean): 'light' | 'dark' {
  return theme === 'system' ? (prefersDark ? 'dark' : 'light') : theme;
}

/** Keeps <html data-theme> and <html lang> in step with the config (and with the OS when the theme is "system"). */
export function useDocumentTheme(): void {
  const theme = useConfig((state) => state.config?.ui?.theme ?? 'system');
  const language = useConfig((state) => resolveLanguage(state.config?.ui?.language));
  useEffect(() => {
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme = effectiveTheme(theme, media?.matches ?? false);
    };
    apply();
    media?.addEventListener?.('change', apply);
    return () => media?.removeEventListener?.('change', apply);
  }, [theme]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
}
