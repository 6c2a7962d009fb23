import { Plus } from 'lucide-react';
import { useT } from '../../../app/i18n';
import { downloadStore } from '../../../stores';

/** What to do next: with no tasks, how to add some; with tasks hidden by the filter, how to see them again. */
export function EmptyState({ total, onAddLinks }: { total: number; onAddLinks(): void }) {
  const t = useT();
  if (total) {
    return (
      <div className="empty-state" data-testid="list-empty" data-kind="no-match">
        <p>{t('list.noMatch')}</p>
        <button type="button" data-testid="clear-filter" onClick={() => {
          downloadStore.getState().setFilter('all');
          downloadStore.getState().setSearch('');
        }}>
          {t('list.showAll')}
        </button>
      </div>
    );
  }
  return (
    <div className="empty-state" data-testid="list-empty" data-kind="empty">
      <p className="empty-title">{t('list.emptyTitle')}</p>
      <p>{t('list.emptyHint')}</p>
      <button type="button" className="primary" onClick={onAddLinks}>
        <Plus size={14} aria-hidden /> {t('list.addLinks')}
      </button>
    </div>
  );
}
