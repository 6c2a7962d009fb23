import * as Tooltip from '@radix-ui/react-tooltip';
import { lazy, Suspense, useMemo, useState, useSyncExternalStore } from 'react';
import { connectionState, watchConnection } from '../bridge';
import { AddLinksDialog } from '../features/downloads/ui/AddLinksDialog';
import { SessionBanner } from '../features/downloads/ui/SessionBanner';
import { MigrationBanner } from '../features/migration/ui/MigrationBanner';
import { StatusBar } from '../features/downloads/ui/StatusBar';
import { TaskTable } from '../features/downloads/ui/TaskTable';
import { Toolbar } from '../features/downloads/ui/Toolbar';
import { countByFilter, foldedCourses, foldView, listRows, visibleTasks, type SortKey } from '../features/downloads/state/visibleTasks';
import { useConfig, useDownloads } from '../stores';

// The details pane (and uPlot, ~50 KiB of the bundle) loads the first time it opens.
const DetailsPane = lazy(() => import('../features/downloads/ui/DetailsPane').then((module) => ({ default: module.DetailsPane })));

/** Columns whose values move with progress: sorted by one of them, the list follows every progress batch. */
const LIVE_SORTS: ReadonlySet<SortKey> = new Set(['size', 'progress', 'speed', 'eta']);

/** The main view: banners, the toolbar, the task grid (with the details pane beside it) and the status bar. */
export function Downloads() {
  // The list is rebuilt when its shape changes, not on progress (see TaskTable.listed), unless a live column sorts it.
  const tasks = useDownloads((state) => (LIVE_SORTS.has(state.sortBy) ? state.tasks : state.listed));
  const filter = useDownloads((state) => state.filter);
  const search = useDownloads((state) => state.search);
  const sortBy = useDownloads((state) => state.sortBy);
  const sortDirection = useDownloads((state) => state.sortDirection);
  const grouped = useDownloads((state) => state.grouped);
  const collapsed = useDownloads((state) => state.collapsed);
  const autoFolded = useDownloads((state) => state.autoFolded);
  const detailsOpen = useDownloads((state) => state.detailsOpen);
  const showCompleted = useConfig((state) => state.config?.ui?.show_completed_tasks ?? true);
  // The desktop window has no stream to lose; in a browser the WebSocket can drop.
  const connected = useSyncExternalStore(watchConnection, connectionState) !== 'closed';
  const [adding, setAdding] = useState(false);

  const counts = useMemo(() => countByFilter(tasks), [tasks]);
  const shown = useMemo(
    () => visibleTasks(tasks, { filter, search, sortBy, sortDirection, showCompleted }),
    [tasks, filter, search, sortBy, sortDirection, showCompleted],
  );
  const folded = useMemo(
    () => foldedCourses(collapsed, autoFolded, foldView({ search, filter })),
    [collapsed, autoFolded, search, filter],
  );
  const rows = useMemo(
    () => listRows(shown, tasks, grouped, folded, sortBy === 'order'),
    [shown, tasks, grouped, folded, sortBy],
  );
  const taskOrder = useMemo(() => rows.flatMap((row) => (row.kind === 'task' ? [row.key] : [])), [rows]);

  return (
    <Tooltip.Provider delayDuration={400}>
      <main className="downloads">
        <MigrationBanner />
        <SessionBanner />
        <Toolbar counts={counts} connected={connected} onAddLinks={() => setAdding(true)} />
        <div className="list-area">
          <TaskTable rows={rows} taskOrder={taskOrder} total={counts.all} connected={connected} onAddLinks={() => setAdding(true)} />
          {detailsOpen && (
            <Suspense fallback={null}>
              <DetailsPane />
            </Suspense>
          )}
        </div>
        <StatusBar />
        <AddLinksDialog open={adding} onOpenChange={setAdding} />
      </main>
    </Tooltip.Provider>
  );
}
