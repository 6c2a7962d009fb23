/**
 * The v1 (legacy runtime) adapter: the original client's start queue and its poll. v1 refuses a start once the
 * concurrency limit is reached, so the client keeps the refused task in a queue and starts it itself when a slot
 * frees (after a status change, or on the poll). v1 pushes no `task_added`/`task_updated`, hence the poll.
 * Under v2 the backend queues and pushes every change: the store does not create this adapter at all.
 */
import { hasErrorCode } from '../../../bridge';
import type { VideoTask } from '../../../types/generated/contract';
import type { DownloadsApi } from '../api/downloadsApi';

export const LEGACY_POLL_MS = 1500;

/** Decided by the error's code, never by its text. */
const isConcurrencyLimit = (reason: unknown) => hasErrorCode(reason, 'concurrency_limit');

/** The part of the download store the queue reads and writes. */
export interface LegacyQueueState {
  tasks: Record<string, VideoTask>;
  listed: Record<string, VideoTask>;
  /** Ids waiting for a free slot, the next to start first. */
  pendingStartQueue: string[];
}

type Change = Partial<LegacyQueueState>;

export interface LegacyQueueHost {
  api: Pick<DownloadsApi, 'start' | 'resume'>;
  get(): LegacyQueueState;
  set(change: Change | ((state: LegacyQueueState) => Change)): void;
  /** Fetches the whole list again. */
  refresh(): Promise<void>;
  reportError(reason: unknown): void;
  /** How many downloads may run at once (the user's setting). */
  concurrency(): number;
}

export interface LegacyStartQueue {
  /** Starts a task; refused at the limit, it waits at the end of the queue. */
  start(id: string): Promise<void>;
  /** Resumes a paused task; refused at the limit, it waits at the front of the queue. */
  resume(id: string): Promise<void>;
  /** Queues every Pending or Paused task and starts as many as the limit allows. */
  startAll(): Promise<void>;
  /** Takes tasks out of the queue (the user paused, cancelled or removed them). */
  drop(ids: readonly string[]): void;
  /** Empties the queue (pause all). */
  clear(): void;
  /** Starts queued tasks while slots are free. Called after every batch with a status change. */
  process(): Promise<void>;
  /** Refreshes the list every LEGACY_POLL_MS while a task runs or waits; returns the function that stops it. */
  poll(): () => void;
}

const isWaiting = (task: VideoTask | undefined) => task?.status === 'Pending' || task?.status === 'Paused';

export function legacyStartQueue(host: LegacyQueueHost): LegacyStartQueue {
  const { api } = host;

  function enqueue(id: string, atFront: boolean): void {
    host.set((state) => {
      const rest = state.pendingStartQueue.filter((queued) => queued !== id);
      return { pendingStartQueue: atFront ? [id, ...rest] : [...rest, id] };
    });
  }

  async function tryStart(id: string, atFront: boolean): Promise<'started' | 'queued' | 'failed'> {
    try {
      await api.start(id);
      return 'started';
    } catch (reason) {
      if (!isConcurrencyLimit(reason)) {
        host.reportError(reason);
        return 'failed';
      }
      enqueue(id, atFront);
      return 'queued';
    }
  }

  // One pass at a time: status changes arrive while a pass awaits its start.
  let processing = false;

  async function process(): Promise<void> {
    if (processing) return;
    processing = true;
    try {
      for (;;) {
        const { pendingStartQueue, tasks } = host.get();
        const startable = pendingStartQueue.filter((id) => isWaiting(tasks[id]));
        if (startable.length !== pendingStartQueue.length) host.set({ pendingStartQueue: startable });
        const running = Object.values(tasks).filter((task) => task.status === 'Downloading').length;
        if (!startable.length || host.concurrency() - running <= 0) return;
        const id = startable[0];
        host.set({ pendingStartQueue: startable.slice(1) });
        // A paused task refused for any reason waits again; a failed start was reported and leaves the queue.
        const outcome =
          tasks[id].status === 'Paused'
            ? await api.resume(id).then(
                () => 'started' as const,
                () => 'queued' as const,
              )
            : await tryStart(id, true);
        if (outcome === 'queued') {
          enqueue(id, true);
          return;
        }
        if (outcome === 'started') {
          // v1 announces the new status later (or only to the poll): count the slot as taken now.
          host.set((state) => {
            const tasks = { ...state.tasks, [id]: { ...state.tasks[id], status: 'Downloading' as const } };
            return { tasks, listed: tasks };
          });
        }
      }
    } finally {
      processing = false;
    }
  }

  return {
    async start(id) {
      await tryStart(id, false);
    },

    async resume(id) {
      try {
        await api.resume(id);
      } catch (reason) {
        if (isConcurrencyLimit(reason)) enqueue(id, true);
        else host.reportError(reason);
      }
    },

    async startAll() {
      const waiting = Object.values(host.get().tasks)
        .filter(isWaiting)
        .map((task) => task.id);
      host.set((state) => ({ pendingStartQueue: [...new Set([...state.pendingStartQueue, ...waiting])] }));
      await process();
    },

    drop(ids) {
      host.set((state) => ({ pendingStartQueue: state.pendingStartQueue.filter((queued) => !ids.includes(queued)) }));
    },

    clear() {
      host.set({ pendingStartQueue: [] });
    },

    process,

    poll() {
      const timer = setInterval(() => {
        const { tasks, pendingStartQueue } = host.get();
        const busy = pendingStartQueue.length > 0 || Object.values(tasks).some((task) => task.status === 'Downloading');
        if (busy) void host.refresh().then(process);
      }, LEGACY_POLL_MS);
      return () => clearInterval(timer);
    },
  };
}
