import type { VideoTask } from '../../../types/generated/contract';
import type { SortKey } from './downloadStore';
import { filterOf, matchesFilter, STATUS_FILTERS, STATUS_RANK, type StatusFilter } from './taskStatus';

export type FilterCounts = Record<StatusFilter, number>;

export function countByFilter(tasks: Record<string, VideoTask>): FilterCounts {
  const counts = Object.fromEntries(STATUS_FILTERS.map((f) => [f, 0])) as FilterCounts;
  for (const task of Object.values(tasks)) {
    counts.all += 1;
    counts[filterOf(task.status)] += 1;
  }
  return counts;
}

const COMPARE: Record<SortKey, (a: VideoTask, b: VideoTask) => number> = {
  created_at: (a, b) => a.created_at.localeCompare(b.created_at),
  title: (a, b) => a.title.localeCompare(b.title),
  status: (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status],
  progress: (a, b) => a.progress - b.progress,
  speed: (a, b) => a.speed - b.speed,
  size: (a, b) => (a.file_size ?? -1) - (b.file_size ?? -1),
};

export interface ListQuery {
  filter: StatusFilter;
  search: string;
  sortBy: SortKey;
  sortDirection: 'asc' | 'desc';
  showCompleted: boolean;
}

/** The rows the list shows, in order. Ties keep a stable order by id so rows never jump between equal keys. */
export function visibleTasks(tasks: Record<string, VideoTask>, query: ListQuery): VideoTask[] {
  const needle = query.search.trim().toLowerCase();
  const rows = Object.values(tasks).filter(
    (task) =>
      matchesFilter(task.status, query.filter) &&
      (query.showCompleted || query.filter === 'completed' || task.status !== 'Completed') &&
      (!needle || task.title.toLowerCase().includes(needle) || task.url.toLowerCase().includes(needle)),
  );
  const compare = COMPARE[query.sortBy];
  const sign = query.sortDirection === 'asc' ? 1 : -1;
  return rows.sort((a, b) => sign * compare(a, b) || a.id.localeCompare(b.id));
}
