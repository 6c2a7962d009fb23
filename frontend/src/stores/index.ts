/**
 * The app's stores, composed once: each feature store gets the bridge's `invoke` and reports to the UI store.
 * Tests build their own with the feature factories.
 */
import { useStore } from 'zustand';
import { invoke } from '../bridge';
import { createDebugStore, type DebugState } from '../features/debug/state/debugStore';
import { batchNotifier, taskDoneNotifier } from '../features/downloads/state/batchNotifier';
import { createDownloadStore, type DownloadStore } from '../features/downloads/state/downloadStore';
import { createConfigStore, type ConfigState } from '../features/settings/state/configStore';
import { localizeError, localizeTaskError, localizeWarning, type LocalizedError } from '../i18n/errors';
import { resolveLanguage, translator, type Translate } from '../i18n';
import { createUiStore, type UiState } from './uiStore';

export const uiStore = createUiStore();
const toast = uiStore.getState().toast;

/** The translate function of the language in the config right now (for code outside React components). */
export function currentT(): Translate {
  return translator(resolveLanguage(configStore.getState().config?.ui?.language));
}

/** A failed command in the user's language: the message picked by its code, the backend's text as the detail. */
export function describeError(reason: unknown): LocalizedError {
  return localizeError(currentT(), reason);
}

/** Shows a failed command as an error toast, translated (describeError). */
export function reportError(reason: unknown): void {
  const { message, detail } = describeError(reason);
  toast('error', message, detail);
}

export const configStore = createConfigStore(invoke, reportError);
export const debugStore = createDebugStore(invoke);

const notificationsOn = () => configStore.getState().config?.ui?.show_notifications ?? false;
const notifyBatch = batchNotifier(notificationsOn);
const notifyTaskDone = taskDoneNotifier(notificationsOn);

export const downloadStore = createDownloadStore({
  invoke,
  notify: toast,
  concurrency: () => configStore.getState().config?.download.concurrent_downloads ?? 3,
  onWarnings(warnings) {
    debugStore.getState().recordWarnings(warnings);
    for (const warning of warnings) {
      if (warning.code === 'retrying') continue;
      const { message, detail } = localizeWarning(currentT(), warning);
      toast('warning', message, detail);
    }
  },
  onStatusChanges(changes, tasks) {
    for (const change of changes) {
      const title = tasks[change.task_id]?.title ?? change.task_id;
      if (change.to === 'Failed') {
        const why = localizeTaskError(currentT(), { error_code: change.error_code, error_message: change.error });
        toast('error', `${title}: ${why?.message ?? currentT()('status.Failed')}`, why?.detail);
      } else if (change.to === 'Completed') {
        notifyTaskDone(title, tasks);
      }
    }
    notifyBatch(tasks);
  },
});

export const useUi = <T,>(selector: (state: UiState) => T): T => useStore(uiStore, selector);
export const useConfig = <T,>(selector: (state: ConfigState) => T): T => useStore(configStore, selector);
export const useDebug = <T,>(selector: (state: DebugState) => T): T => useStore(debugStore, selector);
export const useDownloads = <T,>(selector: (state: DownloadStore) => T): T => useStore(downloadStore, selector);
