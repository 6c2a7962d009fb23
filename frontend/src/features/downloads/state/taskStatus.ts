import type { TaskStatus, VideoTask } from '../../../types/generated/contract';

export type { TaskStatus };

/** Filter tabs of the task list; each maps to a set of wire statuses. */
export const STATUS_FILTERS = ['all', 'active', 'pending', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

const FILTER_OF: Record<TaskStatus, Exclude<StatusFilter, 'all'>> = {
  Pending: 'pending',
  Scheduled: 'active',
  Downloading: 'active',
  Pausing: 'active',
  Completing: 'active',
  Paused: 'paused',
  Completed: 'completed',
  Failed: 'failed',
  Cancelled: 'cancelled',
};

export function filterOf(status: TaskStatus): Exclude<StatusFilter, 'all'> {
  return FILTER_OF[status] ?? 'pending';
}

export function matchesFilter(status: TaskStatus, filter: StatusFilter): boolean {
  return filter === 'all' || filterOf(status) === filter;
}

/** List order when sorting by status: what needs attention first (as the original list ranked them). */
export const STATUS_RANK: Record<TaskStatus, number> = {
  Downloading: 0,
  Completing: 1,
  Pausing: 2,
  Scheduled: 3,
  Paused: 4,
  Failed: 5,
  Pending: 6,
  Completed: 7,
  Cancelled: 8,
};

export const TERMINAL: ReadonlySet<TaskStatus> = new Set(['Completed', 'Cancelled']);
export const RUNNING: ReadonlySet<TaskStatus> = new Set(['Scheduled', 'Downloading', 'Pausing', 'Completing']);

/** Which row actions make sense in a status (the backend still decides; a refused action becomes a toast). */
export function canStart(status: TaskStatus): boolean {
  return status === 'Pending';
}
export function canPause(status: TaskStatus): boolean {
  return status === 'Scheduled' || status === 'Downloading';
}
/** A task waiting in the queue can be paused too: it leaves the queue. */
export function fitsPause(task: { status: TaskStatus; queued: boolean }): boolean {
  return canPause(task.status) || (task.status === 'Pending' && task.queued);
}
export function canResume(status: TaskStatus): boolean {
  return status === 'Paused';
}
export function canCancel(status: TaskStatus): boolean {
  return !TERMINAL.has(status) && status !== 'Failed';
}
export function canRetry(status: TaskStatus): boolean {
  return status === 'Failed' || status === 'Cancelled';
}
/** A finished task with a file on disk: open and show act on it. */
export function fitsOpenFile(task: { status: TaskStatus; file_path: string | null }): boolean {
  return task.status === 'Completed' && !!task.file_path;
}

/** Not one byte in and none on its way: the list draws no progress track for it and shows "—" for its percentage
 *  (a course of such lessons is not a column of empty bars and "0%"); its progress bar still says 0 to a screen
 *  reader. */
export function notStarted(task: Pick<VideoTask, 'status' | 'downloaded_size'>): boolean {
  return !RUNNING.has(task.status) && task.status !== 'Completed' && task.downloaded_size <= 0;
}
