import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBackend, type FakeBackend } from '../../../test-support/fakeBackend';
import { makeTask } from '../../../test-support/tasks';
import { createDownloadStore, type DownloadStoreDeps } from './downloadStore';

let backend: FakeBackend;
let notices: { kind: string; message: string }[];

function store(overrides: Partial<DownloadStoreDeps> = {}) {
  return createDownloadStore({
    invoke: backend.invoke,
    notify: (kind, message) => notices.push({ kind, message }),
    concurrency: () => 1,
    ...overrides,
  });
}

beforeEach(async () => {
  backend = await startFakeBackend();
  notices = [];
  backend.on('get_download_tasks', { result: [makeTask({ id: 'a' }), makeTask({ id: 'b', status: 'Failed' })] });
  backend.on('download_runtime_state', { result: { runtime: 'v2' } });
  backend.on('get_session_summary', { result: { continuable: 1, waiting: 0, failed: 1, completed: 0, total: 2, recovered_at: null } });
});

afterEach(() => backend.close());

describe('download store (v2)', () => {
  it('selects a range with Shift from the last toggled row, in the order shown', () => {
    const s = store();
    const order = ['a', 'b', 'c', 'd', 'e'];
    s.getState().toggleSelection('d');
    s.getState().selectRange('b', order);
    expect(Object.keys(s.getState().selected).sort()).toEqual(['b', 'c', 'd']);
    s.getState().toggleSelection('c');
    expect(Object.keys(s.getState().selected).sort()).toEqual(['b', 'd']);
    s.getState().selectRange('e', order);
    expect(Object.keys(s.getState().selected).sort()).toEqual(['b', 'c', 'd', 'e']);
  });

  it('loads the tasks, the runtime and the session summary', async () => {
    const s = store();
    await s.getState().initialize();
    expect(Object.keys(s.getState().tasks).sort()).toEqual(['a', 'b']);
    expect(s.getState().runtime).toBe('v2');
    expect(s.getState().session?.failed).toBe(1);
  });

  it('hides the session banner when the backend has no session summary', async () => {
    backend.on('get_session_summary', { error: 'Not implemented yet: get_session_summary' });
    const s = store();
    await s.getState().initialize();
    expect(s.getState().session).toBeNull();
    expect(notices).toEqual([]);
  });

  it('sends camelCase args for row actions', async () => {
    backend.on('start_download', { result: null });
    backend.on('remove_download_tasks', { result: null });
    const s = store();
    await s.getState().initialize();
    await s.getState().startDownload('a');
    await s.getState().removeTasks(['b'], true);
    expect(backend.calls.filter((c) => c.command === 'start_download').map((c) => c.args)).toEqual([{ taskId: 'a' }]);
    expect(backend.calls.find((c) => c.command === 'remove_download_tasks')?.args).toEqual({ taskIds: ['b'], deleteFile: true });
    expect(Object.keys(s.getState().tasks)).toEqual(['a']);
  });

  it('turns a rejected command into a notice and a refresh, never a throw', async () => {
    const s = store();
    await s.getState().initialize();
    const listsBefore = backend.calls.filter((c) => c.command === 'get_download_tasks').length;
    await s.getState().pauseDownload('a');
    expect(notices).toEqual([{ kind: 'error', message: 'Not implemented yet: pause_download' }]);
    await expect.poll(() => backend.calls.filter((c) => c.command === 'get_download_tasks').length).toBe(listsBefore + 1);
  });

  it('uses start_all_downloads without a selection and starts only the selection otherwise', async () => {
    backend.on('start_all_downloads', { result: 2 });
    backend.on('start_download', { result: null });
    const s = store();
    await s.getState().initialize();
    await s.getState().startAllDownloads();
    s.getState().toggleSelection('b');
    await s.getState().startAllDownloads();
    expect(backend.calls.map((c) => c.command).filter((c) => c.startsWith('start'))).toEqual(['start_all_downloads', 'start_download']);
  });

  it('merges tasks returned by add_urls', async () => {
    backend.on('add_urls', (args) => ({ result: (args.urls as string[]).map((url, i) => makeTask({ id: `new${i}`, url })) }));
    const s = store();
    await s.getState().initialize();
    const added = await s.getState().addUrls({ urls: ['https://x.test/1.mp4'] });
    expect(added).toHaveLength(1);
    expect(s.getState().tasks.new0.url).toBe('https://x.test/1.mp4');
  });

  it('refreshes the list after a lagged runtime warning and reports warnings', async () => {
    const seen: string[] = [];
    const s = store({ onWarnings: (warnings) => seen.push(...warnings.map((w) => w.code)) });
    await s.getState().initialize();
    backend.on('get_download_tasks', { result: [makeTask({ id: 'z' })] });
    s.getState().applyEvents([{ event: 'runtime_warning', payload: { code: 'lagged', message: 'behind', task_id: null } }]);
    expect(seen).toEqual(['lagged']);
    await expect.poll(() => Object.keys(s.getState().tasks)).toEqual(['z']);
  });

  it('keeps events that arrive while a snapshot is in flight instead of letting the older snapshot win', async () => {
    const s = store();
    await s.getState().initialize();
    const refreshed = s.getState().refreshTasks(); // the backend answers with the list as it was before the events
    s.getState().applyEvents([
      { event: 'task_added', payload: makeTask({ id: 'c' }) },
      { event: 'task_status_changed', payload: { task_id: 'a', from: 'Pending', to: 'Downloading', error: null } },
      { event: 'task_removed', payload: { task_id: 'b' } },
    ]);
    await refreshed;
    expect(Object.keys(s.getState().tasks).sort()).toEqual(['a', 'c']);
    expect(s.getState().tasks.a.status).toBe('Downloading');

    await s.getState().refreshTasks(); // with nothing in flight, the snapshot is the truth again
    expect(Object.keys(s.getState().tasks).sort()).toEqual(['a', 'b']);
    expect(s.getState().tasks.a.status).toBe('Pending');
  });
});

describe('download store (v1 legacy client queue)', () => {
  beforeEach(() => {
    backend.on('download_runtime_state', { result: { runtime: 'v1' } });
    backend.on('get_download_tasks', { result: [makeTask({ id: 'a' }), makeTask({ id: 'b' })] });
  });

  it('queues a start refused at the concurrency limit and starts it when a slot frees', async () => {
    let running = 0;
    backend.on('start_download', () =>
      running >= 1
        ? { error: 'Failed to start download: Download error: Maximum concurrent downloads reached' }
        : (running++, { result: null }),
    );
    const s = store();
    await s.getState().initialize();
    expect(s.getState().runtime).toBe('v1');
    await s.getState().startAllDownloads();
    expect(s.getState().tasks.a.status).toBe('Downloading');
    expect(s.getState().pendingStartQueue).toEqual(['b']);
    expect(notices).toEqual([]);

    running = 0;
    s.getState().applyEvents([{ event: 'task_status_changed', payload: { task_id: 'a', status: 'Completed', error_message: null } }]);
    await expect.poll(() => s.getState().tasks.b.status).toBe('Downloading');
    expect(s.getState().pendingStartQueue).toEqual([]);
  });
});
