import type { Invoke } from '../../../lib/invoke';
import type {
  AddUrlsArgs,
  DownloadStats,
  RuntimeState,
  SessionSummary,
  VideoTask,
} from '../../../types/generated/contract';

/** Typed calls of the download commands (original-contract.md §2.1 plus the v2 additions). */
export function downloadsApi(invoke: Invoke) {
  const one = (command: string) => (taskId: string) => invoke<null>(command, { taskId });
  return {
    list: () => invoke<VideoTask[]>('get_download_tasks'),
    stats: () => invoke<DownloadStats>('get_download_stats'),
    runtimeState: () => invoke<RuntimeState>('download_runtime_state'),
    sessionSummary: () => invoke<SessionSummary>('get_session_summary'),
    addUrls: (args: AddUrlsArgs) => invoke<VideoTask[]>('add_urls', args),
    start: one('start_download'),
    pause: one('pause_download'),
    resume: one('resume_download'),
    cancel: (taskId: string) => invoke<null>('cancel_download', { taskId }),
    remove: (taskIds: string[], deleteFile: boolean) => invoke<null>('remove_download_tasks', { taskIds, deleteFile }),
    startAll: (outputPath?: string) => invoke<number>('start_all_downloads', outputPath ? { outputPath } : {}),
    pauseAll: () => invoke<number>('pause_all_downloads'),
    retryFailed: () => invoke<null>('retry_failed_tasks'),
    clearCompleted: () => invoke<null>('clear_completed_tasks'),
    setPriority: (taskId: string, priority: number) => invoke<null>('set_task_priority', { taskId, priority }),
    reveal: (path: string) => invoke<null>('reveal_path_in_folder', { path }),
    openFile: (path: string) => invoke<null>('open_path', { path }),
    readClipboard: () => invoke<string>('read_clipboard_text'),
  };
}

export type DownloadsApi = ReturnType<typeof downloadsApi>;
