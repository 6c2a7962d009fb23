/**
 * The list's rows: filtered, in the user's order (or a column's), and grouped by course. Pure, so the same
 * rows are computed in tests and on screen.
 */
import type { VideoTask } from '../../../types/generated/contract';
import { courseOf, lessonTitle, type Course } from './courses';
import { filterOf, matchesFilter, STATUS_FILTERS, STATUS_RANK, waiting, type StatusFilter } from './taskStatus';

export type FilterCounts = Record<StatusFilter, number>;

/** `order` is the user's order: the sheet's or the paste's, then the queue moves. The other keys are columns. */
export type SortKey = 'order' | 'name' | 'course' | 'size' | 'progress' | 'speed' | 'eta' | 'status';
export type SortDirection = 'asc' | 'desc';

export function countByFilter(tasks: Record<string, VideoTask>): FilterCounts {
  const counts = Object.fromEntries(STATUS_FILTERS.map((f) => [f, 0])) as FilterCounts;
  for (const task of Object.values(tasks)) {
    counts.all += 1;
    counts[filterOf(task)] += 1;
  }
  return counts;
}

type Compare = (a: VideoTask, b: VideoTask) => number;

/**
 * The user's order is the order of the task table: the order of `get_download_tasks` (the backend's queue order:
 * the sheet's, the paste's, then the user's moves), new tasks at the end (`task_added`), rebuilt on
 * `tasks_reordered`. A JS object keeps that insertion order, so the list needs no sort key for it.
 */
export function userOrder(tasks: Record<string, VideoTask>): Compare {
  const rank = new Map<string, number>();
  let index = 0;
  for (const id in tasks) rank.set(id, index++);
  return (a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0);
}

/** A task waiting for a slot sorts with the waiting ones, as its row says 排队中. */
const statusRank = (task: VideoTask) => STATUS_RANK[waiting(task) ? 'Pending' : task.status];
const nullsLast = (a: number | null, b: number | null) => (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY);

const COMPARE: Record<SortKey, (a: VideoTask, b: VideoTask) => number> = {
  order: () => 0,
  name: (a, b) => lessonTitle(a).localeCompare(lessonTitle(b), undefined, { numeric: true }),
  course: (a, b) => courseOf(a).title.localeCompare(courseOf(b).title, undefined, { numeric: true }),
  size: (a, b) => (a.file_size ?? -1) - (b.file_size ?? -1),
  progress: (a, b) => a.progress - b.progress,
  speed: (a, b) => a.speed - b.speed,
  eta: (a, b) => nullsLast(a.eta, b.eta),
  status: (a, b) => statusRank(a) - statusRank(b),
};

export interface ListQuery {
  filter: StatusFilter;
  search: string;
  sortBy: SortKey;
  sortDirection: SortDirection;
  showCompleted: boolean;
}

/** The tasks the list shows, in order. Equal keys keep the user's order, so rows never jump between them. */
export function visibleTasks(tasks: Record<string, VideoTask>, query: ListQuery): VideoTask[] {
  const needle = query.search.trim().toLowerCase();
  const rows = Object.values(tasks).filter(
    (task) =>
      matchesFilter(task, query.filter) &&
      (query.showCompleted || query.filter === 'completed' || task.status !== 'Completed') &&
      (!needle ||
        task.title.toLowerCase().includes(needle) ||
        task.url.toLowerCase().includes(needle) ||
        courseOf(task).title.toLowerCase().includes(needle)),
  );
  // In the user's order the filtered rows are already in place: no sort (10,000 rows, every event batch).
  if (query.sortBy === 'order') return query.sortDirection === 'asc' ? rows : rows.reverse();
  const compare = COMPARE[query.sortBy];
  const sign = query.sortDirection === 'asc' ? 1 : -1;
  const byUser = userOrder(tasks);
  return rows.sort((a, b) => sign * compare(a, b) || byUser(a, b));
}

export interface CourseStats {
  total: number;
  completed: number;
  failed: number;
  /** Bytes on disk and the known total (tasks of unknown size count what they have). */
  downloaded: number;
  size: number;
  /** 0–100 over the course's tasks, each weighted equally (sizes are often unknown before a start). */
  progress: number;
  speed: number;
}

const GROUP_PREFIX = 'group:';
/** Row keys of course headers; they share the focus order with task ids but are never selected. */
export const isGroupKey = (key: string) => key.startsWith(GROUP_PREFIX);

export type ListRow =
  /** `ids`: every task of the course (not just the visible ones): what the header counts and acts on. */
  | { kind: 'group'; key: string; course: Course; ids: string[]; collapsed: boolean }
  | { kind: 'task'; key: string; task: VideoTask; course: Course };

/** The ids of each course's tasks, in the user's order. */
export function courseMembers(tasks: Record<string, VideoTask>): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const task of Object.values(tasks)) {
    const key = courseOf(task).key;
    const ids = members.get(key);
    if (ids) ids.push(task.id);
    else members.set(key, [task.id]);
  }
  return members;
}

/**
 * The courses whose every lesson is Completed, folded: what the list starts with, so the lessons still to fetch are
 * what fills the window (a finished course of 30 lessons would push them out of sight). Only at load: a course that
 * finishes while the user watches stays as it is, and one the user opens stays open.
 */
export function finishedCourses(tasks: Record<string, VideoTask>): Record<string, true> {
  const folded: Record<string, true> = {};
  for (const [key, ids] of courseMembers(tasks)) {
    if (ids.every((id) => tasks[id]?.status === 'Completed')) folded[key] = true;
  }
  return folded;
}

export interface FoldView {
  searching: boolean;
  filtered: boolean;
}

/** What of the list's view decides its folds: a search (as `visibleTasks` reads it) and the status filter. */
export function foldView(query: { search: string; filter: StatusFilter }): FoldView {
  return { searching: query.search.trim() !== '', filtered: query.filter !== 'all' };
}

/**
 * The courses folded on screen. While searching, none: a fold must not hide what the user looks for. Otherwise the
 * user's own folds, and in the unfiltered view the courses finished at load as well (filtered to Completed, the
 * user wants to see those lessons), unless the user opened them.
 */
export function foldedCourses(
  collapsed: Readonly<Record<string, boolean>>,
  autoFolded: Readonly<Record<string, true>>,
  view: FoldView,
): Record<string, true> {
  const folded: Record<string, true> = {};
  if (view.searching) return folded;
  if (!view.filtered) Object.assign(folded, autoFolded);
  for (const [key, fold] of Object.entries(collapsed)) {
    if (fold) folded[key] = true;
    else delete folded[key];
  }
  return folded;
}

/** A course header's figures, from its tasks as they are now. */
export function courseStats(ids: readonly string[], tasks: Record<string, VideoTask>): CourseStats {
  const stats: CourseStats = { total: 0, completed: 0, failed: 0, downloaded: 0, size: 0, progress: 0, speed: 0 };
  for (const id of ids) {
    const task = tasks[id];
    if (!task) continue;
    stats.total += 1;
    if (task.status === 'Completed') stats.completed += 1;
    if (task.status === 'Failed') stats.failed += 1;
    stats.downloaded += task.downloaded_size;
    stats.size += task.file_size ?? task.downloaded_size;
    stats.progress += task.status === 'Completed' ? 100 : task.progress;
    stats.speed += task.status === 'Downloading' ? task.speed : 0;
  }
  stats.progress = stats.total ? stats.progress / stats.total : 0;
  return stats;
}

/**
 * The rows on screen. Grouped: one header per course, courses in the user's order (by their first task), the
 * course's visible tasks under it unless collapsed. Ungrouped: the tasks alone.
 */
export function listRows(
  shown: readonly VideoTask[],
  all: Record<string, VideoTask>,
  grouped: boolean,
  collapsed: Readonly<Record<string, true>>,
  /** Whether `shown` is in the user's order (then the courses come in the order they are met). */
  inUserOrder: boolean,
): ListRow[] {
  if (!grouped) return shown.map((task) => ({ kind: 'task', key: task.id, task, course: courseOf(task) }));
  const groups = new Map<string, { course: Course; first: VideoTask; tasks: VideoTask[] }>();
  for (const task of shown) {
    const course = courseOf(task);
    const group = groups.get(course.key);
    if (!group) groups.set(course.key, { course, first: task, tasks: [task] });
    else group.tasks.push(task);
  }
  // Only pasted links, no course at all: a lone "no course" header would say nothing.
  if (groups.size === 1 && groups.values().next().value?.course.kind === 'none') return listRows(shown, all, false, collapsed, inUserOrder);
  let ordered = [...groups.values()];
  if (!inUserOrder) {
    // Sorted by a column, the rows inside a course follow it; the courses keep the user's order.
    const byUser = userOrder(all);
    for (const group of ordered) group.first = group.tasks.reduce((first, task) => (byUser(task, first) < 0 ? task : first));
    ordered = ordered.sort((a, b) => byUser(a.first, b.first));
  }
  const members = courseMembers(all);
  const rows: ListRow[] = [];
  for (const { course, tasks } of ordered) {
    const isCollapsed = !!collapsed[course.key];
    rows.push({ kind: 'group', key: `${GROUP_PREFIX}${course.key}`, course, ids: members.get(course.key) ?? [], collapsed: isCollapsed });
    if (!isCollapsed) for (const task of tasks) rows.push({ kind: 'task', key: task.id, task, course });
  }
  return rows;
}
