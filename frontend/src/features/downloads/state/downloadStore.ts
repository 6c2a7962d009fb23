/**
 * The task list: filled from `get_download_tasks` once, then kept current by pushed events only (v2).
 * Under the legacy runtime (v1) it also keeps the original client start queue and its 1.5 s poll.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorText, type BridgeEvent } from '../../../bridge';
import type { Invoke } from '../../../lib/invoke';
import type { AddUrlsArgs, RuntimeWarningEvent, SessionSummary, TaskStatusChangedEvent, VideoTask } from '../../../types/generated/contract';
import { downloadsApi, type DownloadsApi } from '../api/downloadsApi';
import { emptyTable, reduceEvents, withSnapshot, type TaskTable } from './taskEvents';
import { canPause, type StatusFilter } from './taskStatus';

export type SortKey = 'created_at' | 'title' | 'status' | 'progress' | 'speed' | 'size';
export type Runtime = 'v1' | 'v2' | 'unknown';

export const LEGACY_POLL_MS = 1500;
const CONCURRENCY_LIMIT_TEXT = 'maximum concurrent downloads';

export interface DownloadState extends TaskTable {
  loaded: boolean;
  runtime: Runtime;
  session: SessionSummary | null;
  selected: Record<string, true>;
  /** The row a Shift+click range starts from: the last one toggled. */
  selectionAnchor: string | null;
  filter: StatusFilter;
  search: string;
  sortBy: SortKey;
  sortDirection: 'asc' | 'desc';
  /** v1 only: ids waiting for a free slot, started by the client as slots free up. */
  pendingStartQueue: string[];
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
  removeTasks(ids: string[], deleteFile: boolean): Promise<void>;
  /** `outputPath`: a folder for this run only (the start dialog's override); the setting stays as it is. */
  startAllDownloads(outputPath?: string): Promise<void>;
  pauseAllDownloads(): Promise<void>;
  retryFailedTasks(): Promise<void>;
  clearCompletedTasks(): Promise<void>;
  revealPath(path: string): Promise<void>;
  openFile(path: string): Promise<void>;
  toggleSelection(id: string): void;
  /** Shift+click: select every row from the last toggled one to `id`, in the order shown. */
  selectRange(id: string, order: string[]): void;
  setSelection(ids: string[]): void;
  clearSelection(): void;
  setFilter(filter: StatusFilter): void;
  setSearch(query: string): void;
  setSort(key: SortKey): void;
  processStartQueue(): Promise<void>;
  startLegacyPolling(): () => void;
}

export type DownloadStore = DownloadState & DownloadActions;

export interface DownloadStoreDeps {
  invoke: Invoke;
  /** Shows a failure or a warning to the user. */
  notify(kind: 'error' | 'warning' | 'success', message: string): void;
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
  selected: {},
  selectionAnchor: null,
  filter: 'all',
  search: '',
  sortBy: 'created_at',
  sortDirection: 'desc',
  pendingStartQueue: [],
});

/** Metrics are samples, not state: replaying one would add a duplicate point to the speed graph. */
const isTaskEvent = (message: BridgeEvent) => message.event !== 'download_metrics';

export function createDownloadStore(deps: DownloadStoreDeps): StoreApi<DownloadStore> {
  const api: DownloadsApi = downloadsApi(deps.invoke);

  return createStore<DownloadStore>()((set, get) => {
    /** Runs a command; a rejection becomes a toast and a refresh, so the list never shows a state we guessed. */
    async function run<T>(call: () => Promise<T>): Promise<T | undefined> {
      try {
        return await call();
      } catch (reason) {
        deps.notify('error', errorText(reason));
        void get().refreshTasks();
        return undefined;
      }
    }

    const isLegacy = () => get().runtime === 'v1';

    async function legacyStart(id: string, atFront: boolean): Promise<'started' | 'queued' | 'failed'> {
      try {
        await api.start(id);
        return 'started';
      } catch (reason) {
        const text = errorText(reason);
        if (!text.toLowerCase().includes(CONCURRENCY_LIMIT_TEXT)) {
          deps.notify('error', text);
          return 'failed';
        }
        set((state) => {
          const rest = state.pendingStartQueue.filter((queued) => queued !== id);
          return { pendingStartQueue: atFront ? [id, ...rest] : [...rest, id] };
        });
        return 'queued';
      }
    }

    let processing = false;

    // A snapshot is taken at some moment while its request is in flight, so events that arrive meanwhile may be
    // newer than it. They are kept and replayed on top of it; replaying one it already reflects changes nothing.
    let snapshotsInFlight = 0;
    let eventsSinceSnapshot: BridgeEvent[] = [];

    async function loadSnapshot(): Promise<void> {
      snapshotsInFlight += 1;
      const from = eventsSinceSnapshot.length;
      try {
        const snapshot = await api.list();
        set((state) => reduceEvents(withSnapshot(state, snapshot), eventsSinceSnapshot.slice(from)).table);
      } finally {
        snapshotsInFlight -= 1;
        if (!snapshotsInFlight) eventsSinceSnapshot = [];
      }
    }

    return {
      ...initialState(),

      async initialize() {
        const [tasks, runtime] = await Promise.allSettled([loadSnapshot(), api.runtimeState()]);
        set({
          runtime: runtime.status === 'fulfilled' ? (runtime.value.runtime === 'v1' ? 'v1' : 'v2') : 'unknown',
          loaded: true,
        });
        if (tasks.status === 'rejected') deps.notify('error', errorText(tasks.reason));
        await get().loadSession();
      },

      applyEvents(batch) {
        if (snapshotsInFlight) eventsSinceSnapshot.push(...batch.filter(isTaskEvent));
        const state = get();
        const { table, effects } = reduceEvents(state, batch);
        if (table !== state) set(table);
        if (effects.warnings.length) deps.onWarnings?.(effects.warnings);
        if (effects.statusChanges.length) {
          deps.onStatusChanges?.(effects.statusChanges, get().tasks);
          if (isLegacy()) void get().processStartQueue();
        }
        if (effects.refresh) void get().refreshTasks();
      },

      async refreshTasks() {
        try {
          await loadSnapshot();
        } catch (reason) {
          deps.notify('error', errorText(reason));
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
        // task_added events bring the same rows; merging here keeps a backend without them (v1) correct too.
        if (added.length) set((state) => ({ tasks: { ...state.tasks, ...Object.fromEntries(added.map((t) => [t.id, t])) } }));
        return added;
      },

      async startDownload(id) {
        if (isLegacy()) {
          await legacyStart(id, false);
          return;
        }
        await run(() => api.start(id));
      },

      async pauseDownload(id) {
        set((state) => ({ pendingStartQueue: state.pendingStartQueue.filter((queued) => queued !== id) }));
        await run(() => api.pause(id));
      },

      async resumeDownload(id) {
        if (isLegacy()) {
          try {
            await api.resume(id);
          } catch (reason) {
            const text = errorText(reason);
            if (text.toLowerCase().includes(CONCURRENCY_LIMIT_TEXT)) {
              set((state) => ({ pendingStartQueue: [id, ...state.pendingStartQueue.filter((q) => q !== id)] }));
            } else deps.notify('error', text);
          }
          return;
        }
        await run(() => api.resume(id));
      },

      async cancelDownload(id) {
        set((state) => ({ pendingStartQueue: state.pendingStartQueue.filter((queued) => queued !== id) }));
        await run(() => api.cancel(id));
      },

      async retryTask(id) {
        // v2 accepts a Failed or Cancelled task in start_download (contract-decisions.md §3).
        await get().startDownload(id);
      },

      async removeTasks(ids, deleteFile) {
        if (!ids.length) return;
        const done = await run(() => api.remove(ids, deleteFile));
        if (done === undefined) return;
        set((state) => {
          const tasks = { ...state.tasks };
          const selected = { ...state.selected };
          for (const id of ids) {
            delete tasks[id];
            delete selected[id];
          }
          return { tasks, selected, pendingStartQueue: state.pendingStartQueue.filter((q) => !ids.includes(q)) };
        });
      },

      async startAllDownloads(outputPath) {
        const { selected, tasks } = get();
        const chosen = Object.keys(selected).filter((id) => tasks[id]);
        if (chosen.length) {
          for (const id of chosen) {
            const status = tasks[id].status;
            if (status === 'Pending' || status === 'Failed') await get().startDownload(id);
            else if (status === 'Paused') await get().resumeDownload(id);
          }
          return;
        }
        if (isLegacy()) {
          const waiting = Object.values(tasks)
            .filter((task) => task.status === 'Pending' || task.status === 'Paused')
            .map((task) => task.id);
          set((state) => ({ pendingStartQueue: [...new Set([...state.pendingStartQueue, ...waiting])] }));
          await get().processStartQueue();
          return;
        }
        await run(() => api.startAll(outputPath));
      },

      async pauseAllDownloads() {
        const { selected, tasks } = get();
        const chosen = Object.keys(selected).filter((id) => tasks[id] && canPause(tasks[id].status));
        if (Object.keys(selected).length) {
          for (const id of chosen) await get().pauseDownload(id);
          return;
        }
        set({ pendingStartQueue: [] });
        await run(() => api.pauseAll());
      },

      async retryFailedTasks() {
        await run(() => api.retryFailed());
      },

      async clearCompletedTasks() {
        const done = await run(() => api.clearCompleted());
        if (done === undefined) return;
        set((state) => ({
          tasks: Object.fromEntries(Object.entries(state.tasks).filter(([, task]) => task.status !== 'Completed')),
        }));
      },

      async openFile(path) {
        await run(() => api.openFile(path));
      },

      async revealPath(path) {
        await run(() => api.reveal(path));
      },

      toggleSelection(id) {
        set((state) => {
          const selected = { ...state.selected };
          if (selected[id]) delete selected[id];
          else selected[id] = true;
          return { selected, selectionAnchor: id };
        });
      },

      selectRange(id, order) {
        const { selectionAnchor } = get();
        const from = selectionAnchor === null ? -1 : order.indexOf(selectionAnchor);
        const to = order.indexOf(id);
        if (from < 0 || to < 0) {
          get().toggleSelection(id);
          return;
        }
        const [low, high] = from < to ? [from, to] : [to, from];
        set((state) => ({
          selected: { ...state.selected, ...Object.fromEntries(order.slice(low, high + 1).map((key) => [key, true as const])) },
          selectionAnchor: id,
        }));
      },

      setSelection(ids) {
        set({ selected: Object.fromEntries(ids.map((id) => [id, true as const])) });
      },

      clearSelection() {
        set({ selected: {} });
      },

      setFilter(filter) {
        set({ filter });
      },

      setSearch(search) {
        set({ search });
      },

      setSort(key) {
        set((state) =>
          state.sortBy === key
            ? { sortDirection: state.sortDirection === 'asc' ? 'desc' : 'asc' }
            : { sortBy: key, sortDirection: key === 'title' ? 'asc' : 'desc' },
        );
      },

      async processStartQueue() {
        if (processing || !isLegacy()) return;
        processing = true;
        try {
          for (;;) {
            const { pendingStartQueue, tasks } = get();
            const startable = pendingStartQueue.filter((id) => {
              const status = tasks[id]?.status;
              return status === 'Pending' || status === 'Paused';
            });
            if (startable.length !== pendingStartQueue.length) set({ pendingStartQueue: startable });
            const running = Object.values(tasks).filter((task) => task.status === 'Downloading').length;
            const free = deps.concurrency() - running;
            if (!startable.length || free <= 0) return;
            const id = startable[0];
            set({ pendingStartQueue: startable.slice(1) });
            const outcome =
              tasks[id].status === 'Paused'
                ? await api.resume(id).then(
                    () => 'started' as const,
                    () => 'queued' as const,
                  )
                : await legacyStart(id, true);
            if (outcome === 'queued') {
              set((state) => ({ pendingStartQueue: [id, ...state.pendingStartQueue.filter((q) => q !== id)] }));
              return;
            }
            if (outcome === 'started') {
              set((state) => ({ tasks: { ...state.tasks, [id]: { ...state.tasks[id], status: 'Downloading' } } }));
            }
          }
        } finally {
          processing = false;
        }
      },

      startLegacyPolling() {
        const timer = setInterval(() => {
          const { tasks, pendingStartQueue } = get();
          const busy = pendingStartQueue.length > 0 || Object.values(tasks).some((task) => task.status === 'Downloading');
          if (busy) void get().refreshTasks().then(() => get().processStartQueue());
        }, LEGACY_POLL_MS);
        return () => clearInterval(timer);
      },
    };
  });
}
