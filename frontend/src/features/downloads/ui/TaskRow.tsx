import { ExternalLink, FolderOpen, Pause, Play, RotateCcw, StepForward, Trash2 } from 'lucide-react';
import { memo, useMemo, useState, type MouseEvent } from 'react';
import { useT } from '../../../app/i18n';
import { localizeTaskError } from '../../../i18n/errors';
import { formatBytes, formatEta, formatPercent, formatSpeed } from '../../../lib/format';
import { downloadStore, useDownloads } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import { routingText } from '../state/backendText';
import type { Course } from '../state/courses';
import { lessonTitle } from '../state/courses';
import { engineName } from '../state/engineNames';
import { notStarted, waiting } from '../state/taskStatus';
import type { SelectMode } from '../state/selection';
import { liveFigures } from '../state/liveFigures';
import { IconButton } from './IconButton';
import { ProgressCell } from './ProgressCell';
import { confirmRemove, fits } from './taskActions';

interface Props {
  /** The task as the list was built; the row follows the live one (progress does not rebuild the list). */
  listed: VideoTask;
  /** 1-based position among all rows, header included (only the rows in view exist). */
  rowIndex: number;
  course: Course;
  selected: boolean;
  /** The row holding the grid's single tab stop. */
  focused: boolean;
  connected: boolean;
  /** Within a course group the course column repeats nothing. */
  inGroup: boolean;
  /** Open and show act on the desktop's own files: in a browser (server mode) they are not offered. */
  desktop: boolean;
  onPointerSelect(id: string, mode: SelectMode): void;
}

/** Shift extends from the anchor, Ctrl (⌘) toggles, a plain click selects the row alone. */
export function selectMode(event: MouseEvent): SelectMode {
  if (event.shiftKey) return 'range';
  return event.ctrlKey || event.metaKey ? 'toggle' : 'only';
}

/** One task in one 32 px line: name, course, size, progress, speed, ETA, status; its actions appear on hover and focus. */
export const TaskRow = memo(function TaskRow({ listed, rowIndex, course, selected, focused, connected, inGroup, desktop, onPointerSelect }: Props) {
  const t = useT();
  const task = useDownloads((state) => state.tasks[listed.id]) ?? listed;
  const retry = useDownloads((state) => state.retrying[listed.id]);
  const store = downloadStore.getState;
  // The action buttons exist only while the row is pointed at, focused or selected: a row that scrolls by
  // costs a line of text, not four buttons with tooltips (10,000 rows scroll at 60 frames a second).
  const [pointed, setPointed] = useState(false);
  const [hasFocus, setHasFocus] = useState(false);
  const showActions = pointed || hasFocus || selected;
  const name = lessonTitle(task);
  const completed = task.status === 'Completed';
  const { speed, eta } = liveFigures(task, connected);
  // Progress re-renders a downloading row many times a second; the reason never changes with it, so its
  // pattern match runs once per reason, not per tick.
  const routing = useMemo(() => (task.routing_reason ? routingText(task.routing_reason, t) : undefined), [task.routing_reason, t]);
  const named = (action: string) => t('list.row.action', { action, name });
  const statusText = retry
    ? t('task.retrying', { attempt: retry.attempt, max: retry.maxAttempts })
    : waiting(task)
      ? t('status.queued')
      : t(`status.${task.status}`);
  const percent = completed ? 100 : Math.min(task.progress, 99.9);
  // The row says why in the user's language; the backend's own (English) text stays in the tooltip.
  const failure = task.status === 'Failed' ? localizeTaskError(t, task) : null;

  const primary = fits.pause(task)
    ? { id: 'pause', icon: Pause, label: t('action.pause'), run: () => store().pauseDownload(task.id) }
    : fits.resume(task)
      ? { id: 'resume', icon: StepForward, label: t('action.resume'), run: () => store().resumeDownload(task.id) }
      : fits.retry(task)
        ? { id: 'retry', icon: RotateCcw, label: t('action.retry'), run: () => store().retryTask(task.id) }
        : fits.start(task)
          ? { id: 'start', icon: Play, label: t('action.start'), run: () => store().startDownload(task.id) }
          : null;

  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-level={inGroup ? 2 : undefined}
      aria-selected={selected}
      tabIndex={focused ? 0 : -1}
      className={`task-row status-${task.status.toLowerCase()}${selected ? ' selected' : ''}`}
      data-testid="task-row"
      data-row-key={task.id}
      data-task-id={task.id}
      data-url={task.url}
      data-status={task.status}
      data-queued={task.queued}
      data-progress={task.progress}
      data-downloaded={task.downloaded_size}
      data-file={task.file_path ?? ''}
      onMouseEnter={() => setPointed(true)}
      onMouseLeave={() => setPointed(false)}
      onFocus={() => setHasFocus(true)}
      onBlur={(event) => !event.currentTarget.contains(event.relatedTarget as Node | null) && setHasFocus(false)}
      onClick={(event) => onPointerSelect(task.id, selectMode(event))}
      onContextMenu={() => !selected && onPointerSelect(task.id, 'only')}
      onDoubleClick={() => (desktop && fits.openFile(task) ? store().openFile(task.file_path!) : store().setDetailsOpen(true))}
    >
      <div role="gridcell" className="cell cell-select">
        <input type="checkbox" tabIndex={-1} data-testid="row-select" checked={selected} aria-label={t('list.row.select', { name })}
               onClick={(event) => { event.stopPropagation(); onPointerSelect(task.id, event.shiftKey ? 'range' : 'toggle'); }}
               onChange={() => undefined} />
      </div>
      <div role="gridcell" className="cell cell-name" title={`${task.title}\n${task.url}`}>
        <span className="task-title" data-testid="row-title">{name}</span>
        <span className="engine-tag" data-testid="row-engine" title={routing}>{engineName(task.downloader_type)}</span>
      </div>
      <div role="gridcell" className="cell cell-course" title={course.title}>
        {inGroup ? '' : course.title || '—'}
      </div>
      <div role="gridcell" className="cell cell-size num" data-testid="row-bytes">
        {formatBytes(task.file_size ?? (task.downloaded_size || null))}
      </div>
      <ProgressCell percent={percent} unstarted={notStarted(task)} name={name}
                    text={formatPercent(task.progress, completed)} testId="row-percent" />
      <div role="gridcell" className="cell cell-speed num" data-testid="row-speed">{speed === null ? '—' : formatSpeed(speed)}</div>
      <div role="gridcell" className="cell cell-eta num" data-testid="row-eta">{eta === null ? '—' : formatEta(eta, t)}</div>
      <div role="gridcell" className="cell cell-status" title={task.error_message ?? undefined}>
        <span className={`badge badge-${retry ? 'retrying' : waiting(task) ? 'queued' : task.status.toLowerCase()}`}
              data-testid="row-status">{statusText}</span>
        {failure && <span className="row-error" data-testid="row-error">{failure.message}</span>}
      </div>
      <div role="gridcell" className="cell cell-actions">
        {showActions && primary && (
          <IconButton icon={primary.icon} label={named(primary.label)} tabIndex={-1} data-testid={`row-${primary.id}`}
                      onClick={(event) => { event.stopPropagation(); void primary.run(); }} />
        )}
        {showActions && desktop && completed ? (
          <IconButton icon={ExternalLink} label={named(t('action.openFile'))} tabIndex={-1} data-testid="row-open-file" disabled={!fits.openFile(task)}
                      onClick={(event) => { event.stopPropagation(); void store().openFile(task.file_path!); }} />
        ) : null}
        {showActions && desktop && (
          <IconButton icon={FolderOpen} label={named(t('action.reveal'))} tabIndex={-1} data-testid="row-reveal" disabled={!fits.reveal(task)}
                      onClick={(event) => { event.stopPropagation(); void store().revealPath(task.file_path!); }} />
        )}
        {showActions && (
          <IconButton icon={Trash2} label={named(t('action.remove'))} tabIndex={-1} data-testid="row-remove"
                      onClick={(event) => { event.stopPropagation(); void confirmRemove([task], t); }} />
        )}
      </div>
    </div>
  );
});
