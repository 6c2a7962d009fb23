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
import { createUiStore, type UiState } from './uiStore';

export const uiStore = createUiStore();
const toast = uiStore.getState().toast;

export const configStore = createConfigStore(invoke, (message) => toast('error', message));
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
      toast('warning', warning.message || warning.code);
    }
  },
  onStatusChanges(changes, tasks) {
    for (const change of changes) {
      const title = tasks[change.task_id]?.title ?? change.task_id;
      if ((change.to ?? change.status) === 'Failed') {
        toast('error', `${title}: ${change.error ?? change.error_message ?? 'Failed'}`);
      } else if ((change.to ?? change.status) === 'Completed') {
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
