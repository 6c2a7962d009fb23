import { useEffect } from 'react';
import './app/shell/shell.css';
import { ConfirmDialog } from './app/ConfirmDialog';
import { Downloads } from './app/Downloads';
import { HeaderBar } from './app/HeaderBar';
import { Toasts } from './app/Toasts';
import { wireEvents } from './app/eventWiring';
import { StorageBanner } from './app/shell/StorageBanner';
import { WindowDrop } from './app/shell/WindowDrop';
import { useDocumentTheme } from './app/theme';
import { DebugPanel } from './features/debug/ui/DebugPanel';
import { ImportPanel } from './features/import/ui/ImportPanel';
import { SettingsPanel } from './features/settings/ui/SettingsPanel';
import { configStore, downloadStore, uiStore, useDownloads, useUi } from './stores';

/** Startup order as the original (the original app's UI): events first, then config, then the task list. */
function useStartup() {
  useEffect(() => {
    const unwire = wireEvents();
    void configStore
      .getState()
      .loadConfig()
      .then(() => downloadStore.getState().initialize());
    return unwire;
  }, []);
}

/** The legacy runtime sends no task_added events and needs the original client queue and its 1.5 s poll. */
function useLegacyPolling() {
  const runtime = useDownloads((state) => state.runtime);
  useEffect(() => (runtime === 'v1' ? downloadStore.getState().startLegacyPolling() : undefined), [runtime]);
}

function useDebugShortcut() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && event.shiftKey && event.key.toLowerCase() === 'd') {
        event.preventDefault();
        void uiStore.getState().togglePanel('debug');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  useStartup();
  useLegacyPolling();
  useDebugShortcut();
  useDocumentTheme();
  const panels = useUi((state) => state.panels);
  return (
    <div className="app">
      <HeaderBar />
      <StorageBanner />
      <div className="body">
        <Downloads />
        {panels.import && <ImportPanel />}
        {panels.settings && <SettingsPanel />}
        {panels.debug && <DebugPanel />}
      </div>
      <ConfirmDialog />
      <Toasts />
      <WindowDrop />
    </div>
  );
}
