/**
 * Pure event → state reduction for the task list. The store feeds it whole batches so one pushed batch costs
 * one copy of the task table, whatever its length.
 */
import type { BridgeEvent } from '../../../bridge';
import type {
  DownloadMetricsEvent,
  DownloadProgressEvent,
  RuntimeWarningEvent,
  TaskRemovedEvent,
  TaskStatus,
  TaskStatusChangedEvent,
  VideoTask,
} from '../../../types/generated/contract';
import { TERMINAL } from './taskStatus';

export interface RetryInfo {
  attempt: number;
  maxAttempts: number;
}

export interface TaskTable {
  tasks: Record<string, VideoTask>;
  retrying: Record<string, RetryInfo>;
  metrics: DownloadMetricsEvent | null;
  /** Total speed samples, newest last, for the status bar graph. */
  speedHistory: number[];
}

export const SPEED_HISTORY_LENGTH = 60;

export const emptyTable = (): TaskTable => ({ tasks: {}, retrying: {}, metrics: null, speedHistory: [] });

/** What the store must do besides taking the new table. */
export interface Effects {
  refresh: boolean;
  warnings: RuntimeWarningEvent[];
  statusChanges: TaskStatusChangedEvent[];
}

/** Progress as v2 sends it, or only the legacy twins (v1). */
type ProgressPayload = Partial<DownloadProgressEvent> & { task_id: string };

function applyProgress(task: VideoTask, p: ProgressPayload): VideoTask {
  if (TERMINAL.has(task.status)) return task;
  const downloaded = p.downloaded ?? p.downloaded_size ?? task.downloaded_size;
  const total = p.total ?? p.total_size ?? task.file_size;
  const speed = p.smoothed_speed || p.speed || 0;
  const eta = p.eta_secs ?? p.eta ?? null;
  const percent = total ? (downloaded / total) * 100 : (p.progress ?? 0) * 100;
  return {
    ...task,
    downloaded_size: downloaded,
    file_size: total ?? null,
    speed: Math.max(0, speed),
    eta,
    progress: Math.min(100, Math.max(0, percent)),
  };
}

function applyStatus(task: VideoTask, change: TaskStatusChangedEvent): VideoTask {
  const status: TaskStatus = change.to ?? change.status;
  const error = change.error ?? change.error_message ?? null;
  const next: VideoTask = { ...task, status, error_message: status === 'Failed' ? error ?? task.error_message : error };
  if (status === 'Completed') {
    next.progress = 100;
    if (next.file_size !== null) next.downloaded_size = next.file_size;
  }
  if (status !== 'Downloading' && status !== 'Completing') {
    next.speed = 0;
    next.eta = null;
  }
  return next;
}

const RETRY_ENDS: ReadonlySet<TaskStatus> = new Set(['Completed', 'Cancelled', 'Paused', 'Pending']);

/** Applies one batch of events; returns the new table (same object when nothing changed) and the side effects. */
export function reduceEvents(table: TaskTable, batch: readonly BridgeEvent[]): { table: TaskTable; effects: Effects } {
  const effects: Effects = { refresh: false, warnings: [], statusChanges: [] };
  let tasks: Record<string, VideoTask> | null = null;
  let retrying: Record<string, RetryInfo> | null = null;
  let { metrics, speedHistory } = table;
  const writableTasks = () => (tasks ??= { ...table.tasks });
  const writableRetrying = () => (retrying ??= { ...table.retrying });

  for (const { event, payload } of batch) {
    switch (event) {
      case 'task_added':
      case 'task_updated': {
        const task = payload as VideoTask;
        if (task && typeof task.id === 'string') writableTasks()[task.id] = task;
        break;
      }
      case 'task_removed': {
        const { task_id } = payload as TaskRemovedEvent;
        if (task_id in (tasks ?? table.tasks)) delete writableTasks()[task_id];
        if (task_id in (retrying ?? table.retrying)) delete writableRetrying()[task_id];
        break;
      }
      case 'task_status_changed': {
        const change = payload as TaskStatusChangedEvent;
        effects.statusChanges.push(change);
        const current = (tasks ?? table.tasks)[change.task_id];
        if (current) writableTasks()[change.task_id] = applyStatus(current, change);
        const status = change.to ?? change.status;
        if (RETRY_ENDS.has(status) && change.task_id in (retrying ?? table.retrying)) {
          delete writableRetrying()[change.task_id];
        }
        break;
      }
      case 'download_progress': {
        const progress = payload as ProgressPayload;
        const current = (tasks ?? table.tasks)[progress.task_id];
        if (current) writableTasks()[progress.task_id] = applyProgress(current, progress);
        break;
      }
      case 'download_metrics': {
        metrics = payload as DownloadMetricsEvent;
        speedHistory = [...speedHistory, metrics.total_speed || 0].slice(-SPEED_HISTORY_LENGTH);
        break;
      }
      case 'runtime_warning': {
        const warning = payload as RuntimeWarningEvent;
        effects.warnings.push(warning);
        if (warning.code === 'lagged') effects.refresh = true;
        if (warning.task_id && warning.code === 'retrying' && warning.attempt != null && warning.max_attempts != null) {
          writableRetrying()[warning.task_id] = { attempt: warning.attempt, maxAttempts: warning.max_attempts };
        }
        if (warning.task_id && warning.code === 'retry_exhausted' && warning.task_id in (retrying ?? table.retrying)) {
          delete writableRetrying()[warning.task_id];
        }
        break;
      }
      default:
        break;
    }
  }

  const changed = tasks !== null || retrying !== null || metrics !== table.metrics;
  return {
    table: changed
      ? { tasks: tasks ?? table.tasks, retrying: retrying ?? table.retrying, metrics, speedHistory }
      : table,
    effects,
  };
}

/** Replaces the table's tasks with a fresh snapshot (after a refresh), keeping metrics and retry info. */
export function withSnapshot(table: TaskTable, snapshot: readonly VideoTask[]): TaskTable {
  const tasks: Record<string, VideoTask> = {};
  for (const task of snapshot) tasks[task.id] = task;
  const retrying = Object.fromEntries(Object.entries(table.retrying).filter(([id]) => id in tasks));
  return { ...table, tasks, retrying };
}
