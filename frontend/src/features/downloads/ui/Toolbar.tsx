import { useT } from '../../../app/i18n';
import { configStore, downloadStore, uiStore, useDownloads } from '../../../stores';
import type { SortKey } from '../state/downloadStore';
import { canPause } from '../state/taskStatus';
import type { VideoTask } from '../../../types/generated/contract';

const SORT_KEYS: SortKey[] = ['created_at', 'title', 'status', 'progress', 'speed', 'size'];

/** Bulk actions; the destructive ones ask first. `visibleIds` is what "select all" selects. */
export function Toolbar({ visibleIds }: { visibleIds: string[] }) {
  const t = useT();
  const selectedCount = useDownloads((state) => Object.keys(state.selected).length);
  const search = useDownloads((state) => state.search);
  const sortBy = useDownloads((state) => state.sortBy);
  const sortDirection = useDownloads((state) => state.sortDirection);
  const store = downloadStore.getState;
  const ask = uiStore.getState().ask;

  const startAll = async () => {
    if (selectedCount) {
      await store().startAllDownloads();
      return;
    }
    // The save-location check of the original (§2.4): where the files go, with a folder for this run only.
    const folder = configStore.getState().config?.download.output_directory ?? '';
    const answer = await ask({
      title: t('confirm.startAll.title'),
      message: t('confirm.startAll.message'),
      field: { label: t('confirm.startAll.folder'), value: folder },
      confirmLabel: t('toolbar.startAll'),
    });
    if (!answer.confirmed) return;
    const override = answer.text?.trim();
    await store().startAllDownloads(override && override !== folder ? override : undefined);
  };
  /** Titles of the tasks an action touches, for its confirmation. */
  const titles = (keep: (task: VideoTask) => boolean, ids?: string[]) => {
    const { tasks } = store();
    return (ids ?? Object.keys(tasks)).map((id) => tasks[id]).filter((task) => task && keep(task)).map((task) => task.title);
  };
  const chosen = () => (selectedCount ? Object.keys(store().selected) : undefined);

  const pauseAll = async () => {
    const items = titles((task) => canPause(task.status), chosen());
    if ((await ask({ title: t('confirm.pauseAll.title'), message: t('confirm.pauseAll.message'), items })).confirmed) {
      await store().pauseAllDownloads();
    }
  };
  const clearCompleted = async () => {
    const items = titles((task) => task.status === 'Completed');
    if ((await ask({ title: t('confirm.clearCompleted.title'), message: t('confirm.clearCompleted.message'), items })).confirmed) {
      await store().clearCompletedTasks();
    }
  };
  const removeSelected = async () => {
    const ids = Object.keys(store().selected);
    const answer = await ask({
      title: t('confirm.remove.title', { count: ids.length }),
      message: t('confirm.remove.message'),
      option: t('confirm.remove.deleteFiles'),
      items: titles(() => true, ids),
    });
    if (answer.confirmed) await store().removeTasks(ids, answer.option);
  };

  const selected = useDownloads((state) => state.selected);
  const chosenVisible = visibleIds.filter((id) => selected[id]).length;
  const allVisible = visibleIds.length > 0 && chosenVisible === visibleIds.length;

  return (
    <section className="toolbar" data-testid="toolbar">
      <input
        type="checkbox"
        data-testid="select-all-checkbox"
        aria-label={t('toolbar.selectAll')}
        checked={allVisible}
        ref={(box) => {
          if (box) box.indeterminate = chosenVisible > 0 && !allVisible;
        }}
        onChange={() => (allVisible ? store().clearSelection() : store().setSelection(visibleIds))}
      />
      <button type="button" data-testid="start-all-button" onClick={startAll}>
        {selectedCount ? t('toolbar.startSelected', { count: selectedCount }) : t('toolbar.startAll')}
      </button>
      <button type="button" data-testid="pause-all-button" onClick={pauseAll}>
        {selectedCount ? t('toolbar.pauseSelected', { count: selectedCount }) : t('toolbar.pauseAll')}
      </button>
      <button type="button" data-testid="retry-failed-button" onClick={() => store().retryFailedTasks()}>
        {t('toolbar.retryFailed')}
      </button>
      <button type="button" data-testid="clear-completed-button" onClick={clearCompleted}>
        {t('toolbar.clearCompleted')}
      </button>
      <button type="button" data-testid="remove-selected-button" disabled={!selectedCount} onClick={removeSelected}>
        {t('toolbar.removeSelected', { count: selectedCount })}
      </button>
      <button type="button" data-testid="select-all-button" onClick={() => store().setSelection(visibleIds)}>
        {t('toolbar.selectAll')}
      </button>
      <button type="button" data-testid="clear-selection-button" disabled={!selectedCount} onClick={() => store().clearSelection()}>
        {t('toolbar.clearSelection')}
      </button>
      <input
        type="search"
        data-testid="search-input"
        value={search}
        placeholder={t('toolbar.search')}
        onChange={(event) => store().setSearch(event.target.value)}
      />
      <label className="sort">
        {t('sort.label')}
        <select data-testid="sort-select" value={sortBy} onChange={(event) => store().setSort(event.target.value as SortKey)}>
          {SORT_KEYS.map((key) => (
            <option key={key} value={key}>
              {t(`sort.${key}`)}
            </option>
          ))}
        </select>
        <button type="button" data-testid="sort-direction-button" onClick={() => store().setSort(sortBy)}>
          {sortDirection === 'asc' ? '↑' : '↓'}
        </button>
      </label>
    </section>
  );
}
