import { useT } from '../../../app/i18n';
import { downloadStore, useDownloads } from '../../../stores';
import { STATUS_FILTERS } from '../state/taskStatus';
import type { FilterCounts } from '../state/visibleTasks';

export function FilterTabs({ counts }: { counts: FilterCounts }) {
  const t = useT();
  const active = useDownloads((state) => state.filter);
  return (
    <nav className="filter-tabs" role="tablist">
      {STATUS_FILTERS.map((filter) => (
        <button
          key={filter}
          type="button"
          role="tab"
          aria-selected={filter === active}
          data-testid={`filter-${filter}`}
          className={filter === active ? 'active' : ''}
          onClick={() => downloadStore.getState().setFilter(filter)}
        >
          {t(`filter.${filter}`)} <span data-testid={`filter-count-${filter}`}>{counts[filter]}</span>
        </button>
      ))}
    </nav>
  );
}
