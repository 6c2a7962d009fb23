import { FileSpreadsheet, Settings } from 'lucide-react';
import { LANGUAGES, resolveLanguage, type Language } from '../i18n';
import { configStore, uiStore, useConfig, useUi } from '../stores';
import { useT } from './i18n';
import { QueueToggle } from './shell/QueueToggle';
import { SaveFolder } from './shell/SaveFolder';
import type { Theme } from './theme';

const THEMES: Theme[] = ['light', 'dark', 'system'];

/** One bar: the title, where files go, whether the queue starts tasks, the panel toggles, and the live language and
 * theme switches (saved in the config). One bar, not two, so the list keeps its rows. The debug panel has no button
 * here: it is a support tool, opened with Ctrl+Shift+D or from Settings. */
export function HeaderBar() {
  const t = useT();
  const language = useConfig((state) => resolveLanguage(state.config?.ui?.language));
  const theme = useConfig((state) => state.config?.ui?.theme ?? 'system');
  const panels = useUi((state) => state.panels);
  const setUi = (ui: { language?: string; theme?: Theme }) => configStore.getState().updateConfig({ ui });
  const toggle = uiStore.getState().togglePanel;
  return (
    <header className="header-bar">
      <h1>{t('app.title')}</h1>
      <SaveFolder />
      <QueueToggle />
      <button type="button" data-testid="open-import" aria-pressed={panels.import} onClick={() => void toggle('import')}>
        <FileSpreadsheet size={16} aria-hidden /> {t('nav.import')}
      </button>
      <button type="button" data-testid="open-settings" aria-pressed={panels.settings} onClick={() => void toggle('settings')}>
        <Settings size={16} aria-hidden /> {t('nav.settings')}
      </button>
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
    </header>
  );
}
