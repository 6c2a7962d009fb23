import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeBackend, type FakeBackend } from '../../../test-support/fakeBackend';
import { makeTask } from '../../../test-support/tasks';
import type { TaskStatus } from '../../../types/generated/contract';
import { createDownloadStore } from './downloadStore';
import { LEGACY_POLL_MS } from './legacyStartQueue';

const LIMIT_REFUSAL = {
  error: 'Failed to start download: Download error: Maximum concurrent downloads reached',
  code: 'concurrency_limit',
} as const;

let backend: FakeBackend;

/** A store on the fake backend; it reports into its own list (a late refetch of a finished test lands there). */
async function legacyStore() {
  const notices: string[] = [];
  const store = createDownloadStore({
    invoke: backend.invoke,
    notify: (_kind, message) => notices.push(message),
    concurrency: () => 1,
  });
  await store.getState().initialize();
  return { store, notices };
}

/** What both runtimes publish on a status change: the v2 fields and their legacy twins. */
const statusChanged = (taskId: string, to: TaskStatus) => ({
  event: 'task_status_changed',
  payload: { task_id: taskId, to, status: to, error: null, error_message: null },
});

beforeEach(async () => {
  backend = await startFakeBackend();
  backend.on('download_runtime_state', { result: { runtime: 'v1' } });
  backend.on('get_download_tasks', { result: [makeTask({ id: 'a' }), makeTask({ id: 'b' })] });
  backend.on('get_session_summary', { result: { continuable: 0, waiting: 0, failed: 0, completed: 0, total: 2, recovered_at: null } });
});

afterEach(() => backend.close());

describe('v1 adapter: the client start queue', () => {
  it('queues a start refused at the concurrency limit and starts it when a slot frees', async () => {
    let running = 0;
    backend.on('start_download', () => (running >= 1 ? LIMIT_REFUSAL : (running++, { result: null })));
    const { store, notices } = await legacyStore();
    expect(store.getState().runtime).toBe('v1');
    await store.getState().startAllDownloads();
    expect(store.getState().tasks.a.status).toBe('Downloading');
    expect(store.getState().pendingStartQueue).toEqual(['b']);
    expect(notices).toEqual([]);

    running = 0;
    store.getState().applyEvents([statusChanged('a', 'Completed')]);
    await expect.poll(() => store.getState().tasks.b.status).toBe('Downloading');
    expect(store.getState().pendingStartQueue).toEqual([]);
  });

  it('puts a resume refused at the limit at the front, and a paused task leaves the queue', async () => {
    backend.on('start_download', LIMIT_REFUSAL);
    backend.on('resume_download', LIMIT_REFUSAL);
    backend.on('pause_download', { result: null });
    const { store, notices } = await legacyStore();
    await store.getState().startDownload('a');
    await store.getState().resumeDownload('b');
    expect(store.getState().pendingStartQueue).toEqual(['b', 'a']);
    await store.getState().pauseDownload('b');
    expect(store.getState().pendingStartQueue).toEqual(['a']);
    expect(notices).toEqual([]);
  });

  it('reports a start refused for another reason instead of queueing it', async () => {
    backend.on('start_download', { error: 'File not found on the server (HTTP 404)', code: 'not_found' });
    const { store, notices } = await legacyStore();
    await store.getState().startDownload('a');
    expect(store.getState().pendingStartQueue).toEqual([]);
    expect(notices).toEqual(['File not found on the server (HTTP 404)']);
  });

  it('polls the list while a task waits, and starts it once the poll shows a free slot', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      backend.on('get_download_tasks', { result: [makeTask({ id: 'a', status: 'Downloading' }), makeTask({ id: 'b' })] });
      backend.on('start_download', LIMIT_REFUSAL);
      const { store } = await legacyStore();
      await store.getState().startDownload('b');
      expect(store.getState().pendingStartQueue).toEqual(['b']);

      // v1 finished `a` without telling this window (no event reached it): only the poll can see the free slot.
      backend.on('get_download_tasks', { result: [makeTask({ id: 'a', status: 'Completed' }), makeTask({ id: 'b' })] });
      backend.on('start_download', { result: null });
      const stop = store.getState().startLegacyPolling();
      vi.advanceTimersByTime(LEGACY_POLL_MS);
      await expect.poll(() => store.getState().tasks.b.status).toBe('Downloading');
      expect(store.getState().pendingStartQueue).toEqual([]);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('is not used under v2: the backend queues, so the client queue stays empty', async () => {
    backend.on('download_runtime_state', { result: { runtime: 'v2' } });
    backend.on('start_all_downloads', { result: 2 });
    const { store } = await legacyStore();
    await store.getState().startAllDownloads();
    expect(backend.calls.map((c) => c.command)).toContain('start_all_downloads');
    expect(backend.calls.map((c) => c.command)).not.toContain('start_download');
    expect(store.getState().pendingStartQueue).toEqual([]);
  });
});
