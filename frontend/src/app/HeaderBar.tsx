import { LANGUAGES, resolveLanguage, type Language } from '../i18n';
import { PingButton } from '../features/debug/ui/PingButton';
import { configStore, uiStore, useConfig } from '../stores';
import { useT } from './i18n';
import type { Theme } from './theme';

const THEMES: Theme[] = ['light', 'dark', 'system'];

/** Title, the live language and theme switches (saved in the config) and the panel toggles. */
export function HeaderBar() {
  const t = useT();
  const language = useConfig((state) => resolveLanguage(state.config?.ui?.language));
  const theme = useConfig((state) => state.config?.ui?.theme ?? 'system');
  const setUi = (ui: { language?: string; theme?: Theme }) => configStore.getState().updateConfig({ ui });
  const toggle = uiStore.getState().togglePanel;
  return (
    <header className="header-bar">
      <h1>{t('app.title')}</h1>
      <PingButton />
      <span className="spacer" />
      <select
        data-testid="language-switch"
        aria-label={t('settings.language')}
        value={language}
        onChange={(e) => setUi({ language: e.target.value as Language })}
      >
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
      <select
        data-testid="theme-switch"
        aria-label={t('settings.theme')}
        value={theme}
        onChange={(e) => setUi({ theme: e.target.value as Theme })}
      >
        {THEMES.map((value) => (
          <option key={value} value={value}>
            {t(`settings.theme.${value}`)}
          </option>
        ))}
      </select>
      <button type="button" data-testid="open-import" onClick={() => toggle('import')}>
        {t('nav.import')}
      </button>
      <button type="button" data-testid="open-settings" onClick={() => toggle('settings')}>
        {t('nav.settings')}
      </button>
      <button type="button" data-testid="open-debug" onClick={() => toggle('debug')}>
        {t('nav.debug')}
      </button>
    </header>
  );
}
