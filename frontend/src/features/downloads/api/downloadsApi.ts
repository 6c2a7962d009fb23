import type { Invoke } from '../../../lib/invoke';
import type {
  AddUrlsArgs,
  DownloadStats,
  RuntimeState,
  SessionSummary,
  VideoTask,
} from '../../../types/generated/contract';
import type { MoveDirection, TaskDetails } from './taskDetails';

/** Typed calls of the download commands (docs/contract.md, download commands, plus the v2 additions). */
export function downloadsApi(invoke: Invoke) {
  const one = (command: string) => (taskId: string) => invoke<null>(command, { taskId });
  return {
    list: () => invoke<VideoTask[]>('get_download_tasks'),
    stats: () => invoke<DownloadStats>('get_download_stats'),
    runtimeState: () => invoke<RuntimeState>('download_runtime_state'),
    sessionSummary: () => invoke<SessionSummary>('get_session_summary'),
    addUrls: (args: AddUrlsArgs) => invoke<VideoTask[]>('add_urls', args),
    /** `restart`: a Failed or Cancelled task starts again too (the original refused those). */
    start: (taskId: string) => invoke<null>('start_download', { taskId, restart: true }),
    pause: one('pause_download'),
    resume: one('resume_download'),
    cancel: (taskId: string) => invoke<null>('cancel_download', { taskId }),
    remove: (taskIds: string[], deleteFile: boolean) => invoke<null>('remove_download_tasks', { taskIds, deleteFile }),
    startAll: (outputPath?: string) => invoke<number>('start_all_downloads', outputPath ? { outputPath } : {}),
    pauseAll: () => invoke<number>('pause_all_downloads'),
    retryFailed: () => invoke<null>('retry_failed_tasks'),
    clearCompleted: () => invoke<null>('clear_completed_tasks'),
    setPriority: (taskId: string, priority: number) => invoke<null>('set_task_priority', { taskId, priority }),
    /** Moves the tasks as one block in the user's order (and so in the queue). */
    move: (taskIds: string[], direction: MoveDirection) => invoke<string[]>('move_tasks', { taskIds, direction }),
    details: (taskId: string) => invoke<TaskDetails>('get_task_details', { taskId }),
    /** Bytes per second; null lifts the task's own limit (the global one still applies). */
    setTaskRateLimit: (taskId: string, bytesPerSecond: number | null) =>
      invoke<number | null>('set_task_rate_limit', { taskId, bytesPerSecond }),
    taskRateLimit: (taskId: string) => invoke<number | null>('get_task_rate_limit', { taskId }),
    reveal: (path: string) => invoke<null>('reveal_path_in_folder', { path }),
    openFile: (path: string) => invoke<null>('open_path', { path }),
    readClipboard: () => invoke<string>('read_clipboard_text'),
  };
}

export type DownloadsApi = ReturnType<typeof downloadsApi>;
