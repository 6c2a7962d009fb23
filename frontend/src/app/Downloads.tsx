import { useMemo } from 'react';
import { FilterTabs } from '../features/downloads/ui/FilterTabs';
import { PasteBox } from '../features/downloads/ui/PasteBox';
import { SessionBanner } from '../features/downloads/ui/SessionBanner';
import { MigrationBanner } from '../features/migration/ui/MigrationBanner';
import { StatusBar } from '../features/downloads/ui/StatusBar';
import { TaskList } from '../features/downloads/ui/TaskList';
import { Toolbar } from '../features/downloads/ui/Toolbar';
import { countByFilter, visibleTasks } from '../features/downloads/state/visibleTasks';
import { useConfig, useDownloads } from '../stores';

/** The main view: paste box, toolbar, filter tabs, the list and the status bar. */
export function Downloads() {
  const tasks = useDownloads((state) => state.tasks);
  const filter = useDownloads((state) => state.filter);
  const search = useDownloads((state) => state.search);
  const sortBy = useDownloads((state) => state.sortBy);
  const sortDirection = useDownloads((state) => state.sortDirection);
  const showCompleted = useConfig((state) => state.config?.ui?.show_completed_tasks ?? true);
  const counts = useMemo(() => countByFilter(tasks), [tasks]);
  const rows = useMemo(
    () => visibleTasks(tasks, { filter, search, sortBy, sortDirection, showCompleted }),
    [tasks, filter, search, sortBy, sortDirection, showCompleted],
  );
  const visibleIds = useMemo(() => rows.map((task) => task.id), [rows]);
  return (
    <main className="downloads">
      <MigrationBanner />
      <SessionBanner />
      <PasteBox />
      <Toolbar visibleIds={visibleIds} />
      <FilterTabs counts={counts} />
      <TaskList rows={rows} total={counts.all} />
      <StatusBar counts={counts} />
    </main>
  );
}
