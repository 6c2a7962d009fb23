import { ChevronDown, ChevronRight, Pause, Play, RotateCcw, Trash2 } from 'lucide-react';
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../../app/i18n';
import { formatBytes, formatSpeed } from '../../../lib/format';
import { downloadStore, useDownloads } from '../../../stores';
import type { Course } from '../state/courses';
import type { VideoTask } from '../../../types/generated/contract';
import { notStarted } from '../state/taskStatus';
import { courseStats } from '../state/visibleTasks';
import { IconButton } from './IconButton';
import { ProgressCell } from './ProgressCell';
import { confirmRemove, fits } from './taskActions';

interface Props {
  /** 1-based position among all rows, header included (only the rows in view exist). */
  rowIndex: number;
  rowKey: string;
  course: Course;
  /** Every task of the course; the header follows their progress live. */
  ids: string[];
  collapsed: boolean;
  focused: boolean;
  connected: boolean;
}

/** What a header shows: the course's totals and which of its actions apply (plain values, compared shallowly). */
function headerFigures(ids: readonly string[], tasks: Record<string, VideoTask>) {
  const { total, completed, failed, size, progress, speed } = courseStats(ids, tasks);
  let startable = false;
  let pausable = false;
  let retryable = false;
  let unstarted = true;  // nothing of the course has arrived and nothing is on its way: no bar, as for its lessons
  for (const id of ids) {
    const task = tasks[id];
    if (!task) continue;
    startable ||= fits.startable(task);
    pausable ||= fits.pause(task);
    retryable ||= fits.retry(task);
    unstarted &&= notStarted(task);
  }
  return { total, completed, failed, size, progress, speed, startable, pausable, retryable, unstarted };
}

/** A course's header row: collapse, its totals, and start/pause/retry/remove for the whole course. */
export const GroupRow = memo(function GroupRow({ rowKey, rowIndex, course, ids: members, collapsed, focused, connected }: Props) {
  const t = useT();
  const store = downloadStore.getState;
  // Only the figures the header shows: a progress batch re-renders it when one of them moved, not for every batch.
  const stats = useDownloads(useShallow((state) => headerFigures(members, state.tasks)));
  const title = course.kind === 'none' ? t('list.group.noCourse') : course.title;
  // The actions act on the tasks as they are when clicked.
  const tasks = () => members.map((id) => store().tasks[id]).filter(Boolean);
  const ids = (test: (task: (ReturnType<typeof tasks>)[number]) => boolean) => tasks().filter(test).map((task) => task.id);
  const named = (action: string) => t('list.group.action', { action, name: title });
  const Chevron = collapsed ? ChevronRight : ChevronDown;
  const percent = stats.completed === stats.total ? 100 : Math.min(stats.progress, 99.9);  // as a task row's bar

  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-expanded={!collapsed}
      aria-level={1}
      tabIndex={focused ? 0 : -1}
      className={`group-row${stats.completed === stats.total ? ' complete' : ''}`}
      data-testid="group-row"
      data-row-key={rowKey}
      data-course={course.key}
      data-total={stats.total}
      data-completed={stats.completed}
      data-failed={stats.failed}
      onClick={() => store().toggleCollapsed(course.key)}
    >
      <div role="gridcell" className="cell cell-group-name">
        <Chevron size={14} aria-hidden />
        <span className="group-title" data-testid="group-title">{title}</span>
        <span className="group-counts" data-testid="group-counts">
          {t('list.group.counts', { done: stats.completed, total: stats.total })}
          {stats.failed > 0 && <span className="group-failed"> · {t('list.group.failed', { count: stats.failed })}</span>}
        </span>
      </div>
      <div role="gridcell" className="cell cell-size num">{formatBytes(stats.size || null)}</div>
      <ProgressCell percent={percent} unstarted={stats.unstarted} name={title} text={`${Math.floor(percent)}%`}
                    testId="group-percent" />
      <div role="gridcell" className="cell cell-speed num">{connected && stats.speed > 0 ? formatSpeed(stats.speed) : '—'}</div>
      <div role="gridcell" className="cell cell-group-actions" onClick={(event) => event.stopPropagation()}>
        <IconButton icon={Play} label={named(t('action.start'))} tabIndex={-1} data-testid="group-start"
                    disabled={!stats.startable}
                    onClick={() => store().startTasks(ids(fits.startable))} />
        <IconButton icon={Pause} label={named(t('action.pause'))} tabIndex={-1} data-testid="group-pause"
                    disabled={!stats.pausable} onClick={() => store().pauseTasks(ids(fits.pause))} />
        <IconButton icon={RotateCcw} label={named(t('action.retry'))} tabIndex={-1} data-testid="group-retry"
                    disabled={!stats.failed && !stats.retryable} onClick={() => store().retryTasks(ids(fits.retry))} />
        <IconButton icon={Trash2} label={named(t('action.remove'))} tabIndex={-1} data-testid="group-remove"
                    onClick={() => confirmRemove(tasks(), t)} />
      </div>
    </div>
  );
});
