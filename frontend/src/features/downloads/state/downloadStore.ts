/**
 * The task list: filled from `get_download_tasks` once, then kept current by pushed events only (v2), reduced in
 * taskEvents.ts. Under the legacy runtime (v1) the commands that start tasks go through the v1 adapter
 * (legacyStartQueue.ts: the original client start queue and its poll), created only when the backend reports v1.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorText, hasErrorCode, type BridgeEvent } from '../../../bridge';
import type { Invoke } from '../../../lib/invoke';
import type { AddUrlsArgs, RuntimeWarningEvent, SessionSummary, TaskStatusChangedEvent, VideoTask } from '../../../types/generated/contract';
import { downloadsApi, type DownloadsApi } from '../api/downloadsApi';
import type { MoveDirection } from '../api/taskDetails';
import { NO_SELECTION, pruneSelection, select, selectAll, type Selection, type SelectMode } from './selection';
import { finishedCourses, foldedCourses, foldView, isGroupKey } from './visibleTasks';
import { courseOf } from './courses';
import { legacyStartQueue, type LegacyQueueState, type LegacyStartQueue } from './legacyStartQueue';
import { emptyTable, reduceEvents, withSnapshot, type TaskTable } from './taskEvents';
import { canResume, canRetry, canStart, fitsPause, type StatusFilter } from './taskStatus';
import type { SortDirection, SortKey } from './visibleTasks';

export type { SortKey } from './visibleTasks';
export type Runtime = 'v1' | 'v2' | 'unknown';

/** A fetch of the whole list because an event lacked fields is done at most this often (a burst costs one). */
export const REFETCH_MS = 400;

export interface DownloadState extends TaskTable, Selection, LegacyQueueState {
  loaded: boolean;
  runtime: Runtime;
  session: SessionSummary | null;
  filter: StatusFilter;
  search: string;
  sortBy: SortKey;
  sortDirection: SortDirection;
  /** Rows grouped under their course (the default) or one flat list. */
  grouped: boolean;
  /** The user's own folds, by course key: true folded, false opened (wins over `autoFolded`). */
  collapsed: Record<string, boolean>;
  /** Courses finished when the list loaded: folded in the unfiltered view unless the user opened them. */
  autoFolded: Record<string, true>;
  detailsOpen: boolean;
  /** False once the backend answered that it cannot reorder the queue: the move buttons show disabled. */
  canMove: boolean;
}

export interface DownloadActions {
  initialize(): Promise<void>;
  applyEvents(batch: readonly BridgeEvent[]): void;
  refreshTasks(): Promise<void>;
  loadSession(): Promise<void>;
  dismissSession(): void;
  addUrls(args: AddUrlsArgs): Promise<VideoTask[]>;
  startDownload(id: string): Promise<void>;
  pauseDownload(id: string): Promise<void>;
  resumeDownload(id: string): Promise<void>;
  cancelDownload(id: string): Promise<void>;
  retryTask(id: string): Promise<void>;
  /** Each of `ids` that the action fits (the others are skipped, never refused one by one). */
  startTasks(ids: string[]): Promise<void>;
  pauseTasks(ids: string[]): Promise<void>;
  retryTasks(ids: string[]): Promise<void>;
  moveTasks(ids: string[], direction: MoveDirection): Promise<void>;
  removeTasks(ids: string[], deleteFile: boolean): Promise<void>;
  /** `outputPath`: a folder for this run only (the start dialog's override); the setting stays as it is. */
  startAllDownloads(outputPath?: string): Promise<void>;
  pauseAllDownloads(): Promise<void>;
  retryFailedTasks(): Promise<void>;
  clearCompletedTasks(): Promise<void>;
  revealPath(path: string): Promise<void>;
  openFile(path: string): Promise<void>;
  /** Click or keyboard selection over the rows in the order shown (see selection.ts). */
  select(id: string, mode: SelectMode, order: readonly string[]): void;
  selectAll(order: readonly string[]): void;
  clearSelection(): void;
  setFilter(filter: StatusFilter): void;
  setSearch(query: string): void;
  /** A column header: first click sorts by it, the next reverses, the third goes back to the user's order. */
  setSort(key: SortKey): void;
  setGrouped(grouped: boolean): void;
  /** Fold or open a course, from how it shows now (`foldedCourses`); nothing while a search shows every match. */
  toggleCollapsed(courseKey: string): void;
  setDetailsOpen(open: boolean): void;
  /** v1 only: polls the list while tasks run or wait; returns the function that stops it. */
  startLegacyPolling(): () => void;
}

export type DownloadStore = DownloadState & DownloadActions;

export interface DownloadStoreDeps {
  invoke: Invoke;
  /** Shows a failure or a warning to the user. */
  notify(kind: 'error' | 'warning' | 'success', message: string): void;
  /** Shows a failed command, translated by its code; without it the backend's text is shown as is. */
  reportError?(reason: unknown): void;
  /** Called for every runtime warning and status change (debug panel, notifications). */
  onWarnings?(warnings: RuntimeWarningEvent[]): void;
  onStatusChanges?(changes: TaskStatusChangedEvent[], tasks: Record<string, VideoTask>): void;
  /** v1 only: how many downloads may run at once. */
  concurrency(): number;
}

const initialState = (): DownloadState => ({
  ...emptyTable(),
  loaded: false,
  runtime: 'unknown',
  session: null,
  ...NO_SELECTION,
  filter: 'all',
  search: '',
  sortBy: 'order',
  sortDirection: 'asc',
  grouped: true,
  collapsed: {},
  autoFolded: {},
  detailsOpen: false,
  canMove: true,
  pendingStartQueue: [], // stays empty under v2
});

/** Metrics are samples, not state: replaying one would add a duplicate point to the speed graph. */
const isTaskEvent = (message: BridgeEvent) => message.event !== 'download_metrics';

export function createDownloadStore(deps: DownloadStoreDeps): StoreApi<DownloadStore> {
  const api: DownloadsApi = downloadsApi(deps.invoke);

  return createStore<DownloadStore>()((set, get) => {
    const reportError = (reason: unknown) =>
      deps.reportError ? deps.reportError(reason) : deps.notify('error', errorText(reason));

    /** Runs a command; a rejection becomes a toast and a refresh, so the list never shows a state we guessed. */
    async function run<T>(call: () => Promise<T>): Promise<T | undefined> {
      try {
        return await call();
      } catch (reason) {
        reportError(reason);
        void get().refreshTasks();
        return undefined;
      }
    }

    /** A course that gets new tasks is unfolded: what was just added must be in sight (a finished course folded at
     * load, then imported again with new lessons, or links pasted after the loose ones had all finished). */
    function unfoldCoursesOf(added: readonly VideoTask[]): void {
      const { collapsed, autoFolded } = get();
      const keys = added.map((task) => courseOf(task).key).filter((key) => collapsed[key] ?? autoFolded[key]);
      if (!keys.length) return;
      set({ collapsed: { ...collapsed, ...Object.fromEntries(keys.map((key) => [key, false])) } });
    }

    /** The v1 adapter, created by initialize() when the backend reports v1; null under v2. */
    let legacy: LegacyStartQueue | null = null;

    // A snapshot is taken at some moment while its request is in flight, so events that arrive meanwhile may be
    // newer than it. They are kept and replayed on top of it; replaying one it already reflects changes nothing.
    let snapshotsInFlight = 0;
    let eventsSinceSnapshot: BridgeEvent[] = [];

    let foldedAtLoad = false;  // the first snapshot has set `autoFolded`

    async function loadSnapshot(): Promise<void> {
      snapshotsInFlight += 1;
      const from = eventsSinceSnapshot.length;
      try {
        const snapshot = await api.list();
        set((state) => {
          const table = reduceEvents(withSnapshot(state, snapshot), eventsSinceSnapshot.slice(from)).table;
          // The first list drawn starts with its finished courses folded; later snapshots keep what it shows.
          const folds = foldedAtLoad ? {} : { autoFolded: finishedCourses(table.tasks) };
          return { ...table, ...pruneSelection(state, (id) => id in table.tasks || isGroupKey(id)), ...folds };
        });
        foldedAtLoad = true;
      } finally {
        snapshotsInFlight -= 1;
        if (!snapshotsInFlight) eventsSinceSnapshot = [];
      }
    }

    // One trailing fetch for a burst of events that lacked fields (see Effects.refetch), and after commands whose
    // effect on a row (queued or not) no event may report.
    let refetchTimer: ReturnType<typeof setTimeout> | null = null;
    function scheduleRefetch(): void {
      refetchTimer ??= setTimeout(() => {
        refetchTimer = null;
        void get().refreshTasks();
      }, REFETCH_MS);
    }

    /** Runs `action` for each id whose task is in a status it fits, in the user's order. */
    async function each(ids: string[], fits: (task: VideoTask) => boolean, action: (id: string) => Promise<void>) {
      const { tasks } = get();
      for (const id of ids) if (tasks[id] && fits(tasks[id])) await action(id);
    }

    return {
      ...initialState(),

      async initialize() {
        const [tasks, runtime] = await Promise.allSettled([loadSnapshot(), api.runtimeState()]);
        const kind = runtime.status === 'fulfilled' ? (runtime.value.runtime === 'v1' ? 'v1' : 'v2') : 'unknown';
        legacy =
          kind === 'v1'
            ? legacyStartQueue({ api, get, set, refresh: () => get().refreshTasks(), reportError, concurrency: deps.concurrency })
            : null;
        set({ runtime: kind, loaded: true });
        if (tasks.status === 'rejected') reportError(tasks.reason);
        await get().loadSession();
      },

      applyEvents(batch) {
        if (snapshotsInFlight) eventsSinceSnapshot.push(...batch.filter(isTaskEvent));
        const state = get();
        const { table, effects } = reduceEvents(state, batch);
        if (table !== state) set(table);
        unfoldCoursesOf(batch.flatMap((event) => (event.event === 'task_added' ? [event.payload as VideoTask] : [])));
        if (effects.warnings.length) deps.onWarnings?.(effects.warnings);
        if (effects.statusChanges.length) {
          deps.onStatusChanges?.(effects.statusChanges, get().tasks);
          if (legacy) void legacy.process();
        }
        if (effects.refresh) void get().refreshTasks();
        else if (effects.refetch) scheduleRefetch();
      },

      async refreshTasks() {
        try {
          await loadSnapshot();
        } catch (reason) {
          reportError(reason);
        }
      },

      async loadSession() {
        try {
          const session = await api.sessionSummary();
          set({ session });
        } catch {
          // An older backend has no session summary: the banner simply stays hidden.
          set({ session: null });
        }
      },

      dismissSession() {
        set({ session: null });
      },

      async addUrls(args) {
        const added = (await run(() => api.addUrls(args))) ?? [];
        unfoldCoursesOf(added);
        // task_added events bring the same rows; merging here keeps a backend without them (v1) correct too.
        if (added.length) {
          set((state) => {
            const tasks = { ...state.tasks, ...Object.fromEntries(added.map((t) => [t.id, t])) };
            return { tasks, listed: tasks };
          });
        }
        return added;
      },

      async startDownload(id) {
        if (legacy) {
          await legacy.start(id);
          return;
        }
        await run(() => api.start(id));
        scheduleRefetch();
      },

      async pauseDownload(id) {
        legacy?.drop([id]);
        // `not_active`: the download ended (finished, failed) just before the pause reached it. Nothing went wrong,
        // and its own status event shows how it ended: a notice would only alarm (a Pause all as lessons finish).
        await run(() => api.pause(id).catch((reason: unknown) => {
          if (!hasErrorCode(reason, 'not_active')) throw reason;
          return null;
        }));
        scheduleRefetch(); // a paused lesson waiting for a slot only leaves the queue: no status event says so
      },

      async resumeDownload(id) {
        if (legacy) {
          await legacy.resume(id);
          return;
        }
        await run(() => api.resume(id));
        scheduleRefetch();
      },

      async cancelDownload(id) {
        legacy?.drop([id]);
        await run(() => api.cancel(id));
      },

      async retryTask(id) {
        // start_download with `restart` also starts a Failed or Cancelled task (docs/contract.md, start_download).
        await get().startDownload(id);
      },

      async startTasks(ids) {
        await each(ids, (task) => canStart(task.status) || canResume(task.status) || canRetry(task.status), (id) =>
          get().tasks[id]?.status === 'Paused' ? get().resumeDownload(id) : get().startDownload(id),
        );
      },

      async pauseTasks(ids) {
        await each(ids, fitsPause, (id) => get().pauseDownload(id));
      },

      async retryTasks(ids) {
        await each(ids, (task) => canRetry(task.status), (id) => get().retryTask(id));
      },

      async moveTasks(ids, direction) {
        if (!ids.length) return;
        try {
          const order = await api.move(ids, direction);
          // The answer is the new order; the `tasks_reordered` event brings the same to every other window.
          if (Array.isArray(order)) get().applyEvents([{ event: 'tasks_reordered', payload: { task_ids: order } }]);
        } catch (reason) {
          if (hasErrorCode(reason, 'not_implemented') || hasErrorCode(reason, 'unknown_command')) set({ canMove: false });
          else reportError(reason);
        }
      },

      async removeTasks(ids, deleteFile) {
        if (!ids.length) return;
        const done = await run(() => api.remove(ids, deleteFile));
        if (done === undefined) return;
        set((state) => {
          const tasks = { ...state.tasks };
          for (const id of ids) delete tasks[id];
          return {
            tasks,
            listed: tasks,
            ...pruneSelection(state, (id) => id in tasks || isGroupKey(id)),
          };
        });
        legacy?.drop(ids);
      },

      async startAllDownloads(outputPath) {
        // Every task, whatever is selected: the toolbar acts on a selection itself (`fits`), and the session banner's
        // Continue means the whole list.
        if (legacy) {
          await legacy.startAll();
          return;
        }
        await run(() => api.startAll(outputPath));
        scheduleRefetch();
      },

      async pauseAllDownloads() {
        legacy?.clear();
        await run(() => api.pauseAll());
        scheduleRefetch(); // as for one pause: what only left the queue changed no status
      },

      async retryFailedTasks() {
        await run(() => api.retryFailed());
      },

      async clearCompletedTasks() {
        const done = await run(() => api.clearCompleted());
        if (done === undefined) return;
        set((state) => {
          const tasks = Object.fromEntries(Object.entries(state.tasks).filter(([, task]) => task.status !== 'Completed'));
          return { tasks, listed: tasks };
        });
      },

      async openFile(path) {
        await run(() => api.openFile(path));
      },

      async revealPath(path) {
        await run(() => api.reveal(path));
      },

      select(id, mode, order) {
        set((state) => select(state, id, mode, order));
      },

      selectAll(order) {
        set((state) => selectAll(state, order));
      },

      clearSelection() {
        set({ selected: {}, anchor: null });
      },

      setFilter(filter) {
        set({ filter });
      },

      setSearch(search) {
        set({ search });
      },

      setSort(key) {
        set((state) => {
          if (key === 'order' || state.sortBy !== key) return { sortBy: key, sortDirection: 'asc' };
          return state.sortDirection === 'asc' ? { sortDirection: 'desc' } : { sortBy: 'order', sortDirection: 'asc' };
        });
      },

      setGrouped(grouped) {
        set({ grouped });
      },

      toggleCollapsed(courseKey) {
        set((state) => {
          const view = foldView(state);
          if (view.searching) return state;
          const folded = !!foldedCourses(state.collapsed, state.autoFolded, view)[courseKey];
          return { collapsed: { ...state.collapsed, [courseKey]: !folded } };
        });
      },

      setDetailsOpen(detailsOpen) {
        set({ detailsOpen });
      },

      startLegacyPolling() {
        return legacy ? legacy.poll() : () => undefined;
      },
    };
  });
}
