import {
  ArrowDown, ArrowUp, Eraser, FolderTree, List, PanelRight, Pause, Play, Plus, RotateCcw, StepForward, Trash2,
} from 'lucide-react';
import { useMemo } from 'react';
import { useT } from '../../../app/i18n';
import { downloadStore, useDownloads } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import { STATUS_FILTERS } from '../state/taskStatus';
import type { FilterCounts } from '../state/visibleTasks';
import { IconButton } from './IconButton';
import { confirmClearCompleted, confirmRemove, fits } from './taskActions';

interface Props {
  counts: FilterCounts;
  /** While the bridge is down every action would fail: they show disabled until it is back. */
  connected: boolean;
  onAddLinks(): void;
}

/**
 * Acts on the selection, or on every task when nothing is selected; a button that would change nothing is
 * disabled. Harmless actions (start, pause) run at once; removing asks first.
 */
export function Toolbar({ counts, connected, onAddLinks }: Props) {
  const t = useT();
  const tasks = useDownloads((state) => state.listed); // statuses, not progress: see TaskTable.listed
  const selected = useDownloads((state) => state.selected);
  const filter = useDownloads((state) => state.filter);
  const search = useDownloads((state) => state.search);
  const grouped = useDownloads((state) => state.grouped);
  const detailsOpen = useDownloads((state) => state.detailsOpen);
  const canMove = useDownloads((state) => state.canMove);
  const store = downloadStore.getState;

  const chosen = useMemo(() => Object.keys(selected).map((id) => tasks[id]).filter(Boolean), [selected, tasks]);
  // Which actions can apply: one pass over the scope (the selection, or every task), once per change.
  const can = useMemo(() => {
    const flags = { start: false, resume: false, pause: false, retry: false };
    if (!connected) return flags;
    for (const task of chosen.length ? chosen : Object.values(tasks)) {
      flags.start ||= fits.start(task);
      flags.resume ||= fits.resume(task);
      flags.pause ||= fits.pause(task);
      flags.retry ||= fits.retry(task);
    }
    return flags;
  }, [chosen, tasks, connected]);
  const ids = (test: (task: VideoTask) => boolean) => chosen.filter(test).map((task) => task.id);
  const allIds = (test: (task: VideoTask) => boolean) => Object.values(store().tasks).filter(test).map((task) => task.id);
  const n = chosen.length;
  const label = (key: 'start' | 'pause' | 'resume' | 'retry') =>
    n ? t(`list.tb.${key}Selected`, { count: n }) : t(`list.tb.${key}All`);

  const start = () => (n ? store().startTasks(ids(fits.start)) : store().startAllDownloads());
  const pause = () => (n ? store().pauseTasks(ids(fits.pause)) : store().pauseAllDownloads());
  const retry = () => (n ? store().retryTasks(ids(fits.retry)) : store().retryFailedTasks());

  return (
    <section className="toolbar" data-testid="toolbar" aria-label={t('list.tb.label')}>
      <div className="toolbar-group" role="toolbar" aria-label={t('list.tb.actions')}>
        <IconButton icon={Plus} label={t('list.addLinks')} text={t('list.addLinksShort')} className="primary" data-testid="open-add-links" onClick={onAddLinks} />
        <IconButton icon={Play} label={label('start')} data-testid="start-all-button" disabled={!can.start} onClick={start} />
        <IconButton icon={StepForward} label={label('resume')} data-testid="resume-button" disabled={!can.resume} onClick={() => store().startTasks(n ? ids(fits.resume) : allIds(fits.resume))} />
        <IconButton icon={Pause} label={label('pause')} data-testid="pause-all-button" disabled={!can.pause} onClick={pause} />
        <IconButton icon={RotateCcw} label={label('retry')} data-testid="retry-failed-button" disabled={!can.retry} onClick={retry} />
        <span className="toolbar-sep" aria-hidden />
        <IconButton icon={ArrowUp} label={t('list.tb.moveUp')} data-testid="move-up-button" disabled={!n || !canMove || !connected} onClick={() => store().moveTasks(chosen.map((task) => task.id), 'up')} />
        <IconButton icon={ArrowDown} label={t('list.tb.moveDown')} data-testid="move-down-button" disabled={!n || !canMove || !connected} onClick={() => store().moveTasks(chosen.map((task) => task.id), 'down')} />
        <span className="toolbar-sep" aria-hidden />
        <IconButton icon={Trash2} label={t('list.tb.remove', { count: n })} data-testid="remove-selected-button" disabled={!n || !connected} onClick={() => confirmRemove(chosen, t)} />
        <IconButton icon={Eraser} label={t('toolbar.clearCompleted')} data-testid="clear-completed-button" disabled={!counts.completed || !connected} onClick={() => confirmClearCompleted(t)} />
      </div>
      {n > 0 && (
        <span className="selection-count" data-testid="selection-count" role="status">
          {t('list.selected', { count: n })}
        </span>
      )}
      <span className="spacer" />
      <nav className="filter-tabs" aria-label={t('list.filters')}>
        {STATUS_FILTERS.map((key) => (
          <button key={key} type="button" aria-pressed={key === filter} data-testid={`filter-${key}`}
                  className={key === filter ? 'active' : ''} onClick={() => store().setFilter(key)}>
            {t(`filter.${key}`)} <span data-testid={`filter-count-${key}`}>{counts[key]}</span>
          </button>
        ))}
      </nav>
      <input type="search" data-testid="search-input" value={search} aria-label={t('toolbar.search')} placeholder={t('toolbar.search')}
             onChange={(event) => store().setSearch(event.target.value)} />
      <IconButton icon={grouped ? FolderTree : List} label={grouped ? t('list.tb.ungroup') : t('list.tb.group')}
                  aria-pressed={grouped} data-testid="group-toggle" onClick={() => store().setGrouped(!grouped)} />
      <IconButton icon={PanelRight} label={t('list.tb.details')} aria-pressed={detailsOpen} data-testid="details-toggle"
                  onClick={() => store().setDetailsOpen(!detailsOpen)} />
    </section>
  );
}
