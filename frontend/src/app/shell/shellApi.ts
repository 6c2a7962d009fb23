/** The commands the app's frame uses: the queue switch (event `queue_state_changed`), the save folder, and the
 * storage state (`get_app_info().storage`). */
import type { Invoke } from '../../lib/invoke';
import type { FolderCheck, QueueState, StorageStatus } from '../../types/generated/contract';

export function shellApi(invoke: Invoke) {
  return {
    queueState: () => invoke<QueueState>('get_queue_state'),
    setQueueRunning: (running: boolean) => invoke<QueueState>('set_queue_running', { running }),
    /** `get_app_info` answers a plain object (no contract model); the frame reads its storage part. */
    appInfo: () => invoke<{ storage: StorageStatus }>('get_app_info'),
    checkFolder: (path: string) => invoke<FolderCheck>('check_download_folder', { path }),
    /** Desktop only: the native folder dialog. */
    chooseFolder: () => invoke<string | null>('select_output_directory'),
    openFolder: () => invoke<null>('open_download_folder'),
  };
}
