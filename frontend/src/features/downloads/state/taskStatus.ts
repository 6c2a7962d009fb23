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

/** The tab a task is counted under: a task waiting for a slot is waiting, whatever status it keeps meanwhile. */
export function filterOf(task: Waitable): Exclude<StatusFilter, 'all'> {
  return waiting(task) ? 'pending' : (FILTER_OF[task.status] ?? 'pending');
}

export function matchesFilter(task: Waitable, filter: StatusFilter): boolean {
  return filter === 'all' || filterOf(task) === filter;
}

type Waitable = Pick<VideoTask, 'status' | 'queued'>;

/** Waiting for a download slot (or for a retry's time): queued by a start, a resume or the running queue. The task
 *  keeps its status meanwhile (a paused lesson started at the limit stays Paused until a slot frees), so this, not
 *  the status, says "queued" on its row. */
export function waiting(task: Waitable): boolean {
  return task.queued && !RUNNING.has(task.status) && !TERMINAL.has(task.status);
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
export function fitsPause(task: Waitable): boolean {
  return canPause(task.status) || waiting(task);
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
