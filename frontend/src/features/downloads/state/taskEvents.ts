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
  TasksReorderedEvent,
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
  /**
   * `tasks` as of the last change of the list's shape: a task added, removed, reordered, or changed by anything
   * but progress (status, queued, file, title). Progress alone leaves it as it was: the rows on screen follow
   * their own task, so the 10,000-task list is not filtered and grouped again 15 times a second.
   */
  listed: Record<string, VideoTask>;
}

export const SPEED_HISTORY_LENGTH = 60;

export const emptyTable = (): TaskTable => {
  const tasks = {};
  return { tasks, retrying: {}, metrics: null, speedHistory: [], listed: tasks };
};

/** What the store must do besides taking the new table. */
export interface Effects {
  refresh: boolean;
  /**
   * A status changed that also changes other fields (the file path on completion, the bytes after a cancel)
   * and the batch brought no `task_updated` for that task: the row must be fetched again to be true.
   */
  refetch: boolean;
  warnings: RuntimeWarningEvent[];
  statusChanges: TaskStatusChangedEvent[];
}

// Both runtimes send every field of the status and progress events, the v2 names beside their legacy twins
// (`to`/`status`, `error`/`error_message`, `downloaded`/`downloaded_size`, …): the reducer reads the v2 names only.

function applyProgress(task: VideoTask, p: DownloadProgressEvent): VideoTask {
  if (TERMINAL.has(task.status)) return task;
  const total = p.total ?? task.file_size;
  // Without a total the backend's own fraction is 0 too: there is nothing to divide by.
  const percent = total ? (p.downloaded / total) * 100 : 0;
  return {
    ...task,
    downloaded_size: p.downloaded,
    file_size: total,
    speed: Math.max(0, p.smoothed_speed),
    eta: p.eta_secs,
    progress: Math.min(100, Math.max(0, percent)),
  };
}

/** Speed and ETA belong to a transfer in progress; a row in any other status shows none. */
function withoutStaleFigures(task: VideoTask): VideoTask {
  if (task.status === 'Downloading' || task.status === 'Completing' || (!task.speed && task.eta === null)) return task;
  return { ...task, speed: 0, eta: null };
}

function applyStatus(task: VideoTask, change: TaskStatusChangedEvent): VideoTask {
  const { to: status, error } = change;
  const keepError = status === 'Failed' && error === null;  // a Failed event without its error keeps the one we had
  const next: VideoTask = {
    ...task,
    status,
    error_message: keepError ? task.error_message : error,
    error_code: keepError ? task.error_code : change.error_code ?? null,
  };
  if (status === 'Completed') {
    next.progress = 100;
    if (next.file_size !== null) next.downloaded_size = next.file_size;
  }
  // A task that starts, ends or is paused has left the queue (the backend clears `queued` then, and no event
  // carries it); kept, a lesson that failed after waiting for a slot would still say "queued". Only a retry's wait
  // (Pending) can be queued, and only the backend's own answer says so.
  if (status !== 'Pending') next.queued = false;
  return withoutStaleFigures(next);
}

/** Statuses whose change also changes fields the status event does not carry. */
const CHANGES_FIELDS: ReadonlySet<TaskStatus> = new Set(['Completed', 'Cancelled']);

const RETRY_ENDS: ReadonlySet<TaskStatus> = new Set(['Completed', 'Cancelled', 'Paused', 'Pending']);

/** Applies one batch of events; returns the new table (same object when nothing changed) and the side effects. */
export function reduceEvents(table: TaskTable, batch: readonly BridgeEvent[]): { table: TaskTable; effects: Effects } {
  const effects: Effects = { refresh: false, refetch: false, warnings: [], statusChanges: [] };
  const stale = new Set<string>();
  let tasks: Record<string, VideoTask> | null = null;
  let retrying: Record<string, RetryInfo> | null = null;
  let { metrics, speedHistory } = table;
  let reshaped = false;
  let queueSwitched = false;
  const writableTasks = () => (tasks ??= { ...table.tasks });
  const writableRetrying = () => (retrying ??= { ...table.retrying });

  for (const { event, payload } of batch) {
    switch (event) {
      case 'task_added':
      case 'task_updated': {
        const task = payload as VideoTask;
        if (task && typeof task.id === 'string') {
          writableTasks()[task.id] = withoutStaleFigures(task);
          reshaped = true;
          stale.delete(task.id);
        }
        break;
      }
      case 'task_removed': {
        const { task_id } = payload as TaskRemovedEvent;
        if (task_id in (tasks ?? table.tasks)) {
          delete writableTasks()[task_id];
          reshaped = true;
        }
        if (task_id in (retrying ?? table.retrying)) delete writableRetrying()[task_id];
        break;
      }
      case 'task_status_changed': {
        const change = payload as TaskStatusChangedEvent;
        effects.statusChanges.push(change);
        const current = (tasks ?? table.tasks)[change.task_id];
        if (current) {
          writableTasks()[change.task_id] = applyStatus(current, change);
          reshaped = true;
        }
        if (current && CHANGES_FIELDS.has(change.to)) stale.add(change.task_id);
        if (RETRY_ENDS.has(change.to) && change.task_id in (retrying ?? table.retrying)) {
          delete writableRetrying()[change.task_id];
        }
        break;
      }
      case 'tasks_reordered': {
        // The user's order changed (a move): the table's insertion order is the list's order, so rebuild it.
        const current = tasks ?? table.tasks;
        const reordered: Record<string, VideoTask> = {};
        for (const id of (payload as TasksReorderedEvent).task_ids) if (current[id]) reordered[id] = current[id];
        for (const id in current) if (!(id in reordered)) reordered[id] = current[id];
        tasks = reordered;
        reshaped = true;
        break;
      }
      case 'download_progress': {
        const progress = payload as DownloadProgressEvent;
        const current = (tasks ?? table.tasks)[progress.task_id];
        const next = current && applyProgress(current, progress);
        // A terminal row ignores progress: no copy of the table for it.
        if (next && next !== current) writableTasks()[progress.task_id] = next;
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
      case 'queue_state_changed':
        // The queue started or stopped: every task waiting in it changed `queued` with it, and no event says so
        // per task (10,000 of them would be 10,000 events).
        queueSwitched = true;
        break;
      default:
        break;
    }
  }

  effects.refetch = stale.size > 0 || queueSwitched;
  const changed = tasks !== null || retrying !== null || metrics !== table.metrics;
  const nextTasks = tasks ?? table.tasks;
  return {
    table: changed
      ? { tasks: nextTasks, retrying: retrying ?? table.retrying, metrics, speedHistory, listed: reshaped ? nextTasks : table.listed }
      : table,
    effects,
  };
}

/** Replaces the table's tasks with a fresh snapshot (after a refresh), keeping metrics and retry info. */
export function withSnapshot(table: TaskTable, snapshot: readonly VideoTask[]): TaskTable {
  const tasks: Record<string, VideoTask> = {};
  for (const task of snapshot) tasks[task.id] = task;
  const retrying = Object.fromEntries(Object.entries(table.retrying).filter(([id]) => id in tasks));
  return { ...table, tasks, retrying, listed: tasks };
}
