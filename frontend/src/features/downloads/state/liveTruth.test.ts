/**
 * Live truth: after one event batch (plus, when the batch lacks fields, one fetch) every row shows what the
 * backend holds — the file of a completed task, the queued state, the bytes after a cancel — and while the
 * bridge is down no row claims a speed or an ETA.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBackend, type FakeBackend } from '../../../test-support/fakeBackend';
import { makeTask } from '../../../test-support/tasks';
import type { VideoTask } from '../../../types/generated/contract';
import { fitsOpenFile } from './taskStatus';
import { createDownloadStore } from './downloadStore';
import { liveFigures } from './liveFigures';

let backend: FakeBackend;
let truth: Record<string, VideoTask>;

const listCalls = () => backend.calls.filter((call) => call.command === 'get_download_tasks').length;

async function loadedStore() {
  const store = createDownloadStore({ invoke: backend.invoke, notify: () => undefined, concurrency: () => 1 });
  await store.getState().initialize();
  return store;
}

beforeEach(async () => {
  backend = await startFakeBackend();
  truth = {
    run: makeTask({ id: 'run', status: 'Downloading', downloaded_size: 500, file_size: 1000, progress: 50, speed: 10, eta: 50 }),
    wait: makeTask({ id: 'wait' }),
  };
  backend.on('get_download_tasks', () => ({ result: Object.values(truth) }));
  backend.on('download_runtime_state', { result: { runtime: 'v2' } });
  backend.on('get_session_summary', { result: { continuable: 0, waiting: 0, failed: 0, completed: 0, total: 0, recovered_at: null } });
});

afterEach(() => backend.close());

describe('live truth', () => {
  it('completion: the file path and the open action arrive with the batch that completes the task', async () => {
    const store = await loadedStore();
    const done = { ...truth.run, status: 'Completed' as const, progress: 100, downloaded_size: 1000, file_path: '/out/a.mp4' };
    store.getState().applyEvents([
      { event: 'task_status_changed', payload: { task_id: 'run', from: 'Completing', to: 'Completed', status: 'Completed', error: null } },
      { event: 'task_updated', payload: done },
    ]);
    const row = store.getState().tasks.run;
    expect([row.status, row.file_path, row.speed, row.eta]).toEqual(['Completed', '/out/a.mp4', 0, null]);
    expect(fitsOpenFile(row)).toBe(true);
  });

  it('completion without the updated task: the row is fetched again and then has its file', async () => {
    const store = await loadedStore();
    const before = listCalls();
    truth.run = { ...truth.run, status: 'Completed', progress: 100, downloaded_size: 1000, file_path: '/out/a.mp4', speed: 0, eta: null };
    store.getState().applyEvents([
      { event: 'task_status_changed', payload: { task_id: 'run', from: 'Completing', to: 'Completed', status: 'Completed', error: null } },
    ]);
    expect(store.getState().tasks.run.status).toBe('Completed');
    await expect.poll(() => store.getState().tasks.run.file_path).toBe('/out/a.mp4');
    expect(listCalls()).toBe(before + 1);
  });

  it('queued: a start that leaves the task waiting for a slot shows it queued', async () => {
    backend.on('start_download', () => {
      truth.wait = { ...truth.wait, queued: true };
      return { result: null };
    });
    const store = await loadedStore();
    await store.getState().startDownload('wait');
    await expect.poll(() => store.getState().tasks.wait.queued).toBe(true);
    // and the backend's own word wins when it sends it
    store.getState().applyEvents([{ event: 'task_updated', payload: { ...truth.wait, queued: false } }]);
    expect(store.getState().tasks.wait.queued).toBe(false);
  });

  it('bytes after cancel: the partial file is gone, and so are its bytes on the row', async () => {
    const store = await loadedStore();
    truth.run = { ...truth.run, status: 'Cancelled', downloaded_size: 0, progress: 0, speed: 0, eta: null };
    store.getState().applyEvents([
      { event: 'task_status_changed', payload: { task_id: 'run', from: 'Downloading', to: 'Cancelled', status: 'Cancelled', error: null } },
    ]);
    expect(store.getState().tasks.run.speed).toBe(0);
    await expect.poll(() => store.getState().tasks.run.downloaded_size).toBe(0);
    expect(store.getState().tasks.run.progress).toBe(0);
  });

  it('a burst of completions costs one fetch, not one per task', async () => {
    const store = await loadedStore();
    const before = listCalls();
    for (const id of ['run', 'wait']) {
      store.getState().applyEvents([{ event: 'task_status_changed', payload: { task_id: id, from: 'Downloading', to: 'Completed', status: 'Completed', error: null } }]);
    }
    await expect.poll(() => listCalls()).toBe(before + 1);
  });

  it('disconnected: no speed and no ETA are claimed; connected again, the live figures return', () => {
    const running = truth.run;
    expect(liveFigures(running, false)).toEqual({ speed: null, eta: null });
    expect(liveFigures(running, true)).toEqual({ speed: 10, eta: 50 });
    expect(liveFigures({ ...running, status: 'Paused' }, true)).toEqual({ speed: null, eta: null });
  });

  it('a running transfer never claims 0 s left', () => {
    expect(liveFigures({ ...truth.run, eta: 0 }, true).eta).toBe(1);
    expect(liveFigures({ ...truth.run, eta: null }, true).eta).toBeNull();
  });
});
