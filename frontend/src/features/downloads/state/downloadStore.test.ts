import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBackend, type FakeBackend } from '../../../test-support/fakeBackend';
import { makeTask } from '../../../test-support/tasks';
import type { VideoTask } from '../../../types/generated/contract';
import { courseOf } from './courses';
import { createDownloadStore, type DownloadStoreDeps } from './downloadStore';

let backend: FakeBackend;
let notices: { kind: string; message: string }[];

/** The store reports into its own test's list: a refetch timer outliving its test must not land in the next one. */
function store(overrides: Partial<DownloadStoreDeps> = {}) {
  const mine = notices;
  return createDownloadStore({
    invoke: backend.invoke,
    notify: (kind, message) => mine.push({ kind, message }),
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
  it('selects a range with Shift from the anchor, in the order shown', () => {
    const s = store();
    const order = ['a', 'b', 'c', 'd', 'e'];
    s.getState().select('d', 'only', order);
    s.getState().select('b', 'range', order);
    expect(Object.keys(s.getState().selected).sort()).toEqual(['b', 'c', 'd']);
    s.getState().select('c', 'toggle', order);
    expect(Object.keys(s.getState().selected).sort()).toEqual(['b', 'd']);
    s.getState().select('e', 'range', order);
    expect(Object.keys(s.getState().selected).sort()).toEqual(['c', 'd', 'e']);
    expect(s.getState().focused).toBe('e');
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
    expect(backend.calls.filter((c) => c.command === 'start_download').map((c) => c.args)).toEqual([{ taskId: 'a', restart: true }]);
    expect(backend.calls.find((c) => c.command === 'remove_download_tasks')?.args).toEqual({ taskIds: ['b'], deleteFile: true });
    expect(Object.keys(s.getState().tasks)).toEqual(['a']);
  });

  it('fetches the list again after a pause (a paused lesson waiting for a slot only leaves the queue)', async () => {
    backend.on('pause_download', { result: null });
    const s = store();
    await s.getState().initialize();
    const listsBefore = backend.calls.filter((c) => c.command === 'get_download_tasks').length;
    await s.getState().pauseDownload('a');
    await expect.poll(() => backend.calls.filter((c) => c.command === 'get_download_tasks').length).toBe(listsBefore + 1);
  });

  it('turns a rejected command into a notice and a refresh, never a throw', async () => {
    const s = store();
    await s.getState().initialize();
    const listsBefore = backend.calls.filter((c) => c.command === 'get_download_tasks').length;
    await s.getState().pauseDownload('a');
    expect(notices).toEqual([{ kind: 'error', message: 'Not implemented yet: pause_download' }]);
    await expect.poll(() => backend.calls.filter((c) => c.command === 'get_download_tasks').length).toBe(listsBefore + 1);
  });

  it('starts with finished courses folded, and leaves the rest to the user', async () => {
    const lesson = (id: string, course: string, status: VideoTask['status']) => makeTask({
      id, status, video_info: { zl_id: course, zl_name: course, id: course, name: course, kc_id: id, kc_name: id,
        course_id: id, course_name: id, record_url: null, url: null },
    });
    backend.on('get_download_tasks', { result: [lesson('a1', 'A', 'Completed'), lesson('a2', 'A', 'Completed'),
      lesson('b1', 'B', 'Completed'), lesson('b2', 'B', 'Downloading'), makeTask({ id: 'loose', status: 'Completed' })] });
    const s = store();
    await s.getState().initialize();
    const key = (id: string) => courseOf(s.getState().tasks[id]).key;
    expect(s.getState().autoFolded).toEqual({ [key('a1')]: true, [key('loose')]: true });
    s.getState().setSearch('a1');
    s.getState().toggleCollapsed(key('a1'));  // a search shows every match: a fold cannot be seen, so none is made
    expect(s.getState().collapsed).toEqual({});
    s.getState().setSearch('');
    s.getState().toggleCollapsed(key('a1'));  // opened by the user: it stays open
    expect(s.getState().collapsed).toEqual({ [key('a1')]: false });
    s.getState().applyEvents([{ event: 'task_status_changed',
      payload: { task_id: 'b2', from: 'Downloading', to: 'Completed', status: 'Completed', error: null } }]);
    expect(s.getState().tasks.b2.status).toBe('Completed');
    await s.getState().initialize();
    // B finished while shown: it is not folded under the user.
    expect(s.getState().autoFolded).toEqual({ [key('a1')]: true, [key('loose')]: true });
    // A link added later lands in the loose links, which open to show it.
    s.getState().applyEvents([{ event: 'task_added', payload: makeTask({ id: 'pasted' }) }]);
    expect(s.getState().collapsed).toEqual({ [key('a1')]: false, [key('loose')]: false });
  });

  it('says nothing when a pause reaches a download that has just ended', async () => {
    backend.on('pause_download', { error: 'Active download not found: a', code: 'not_active', status: 400 });
    const s = store();
    await s.getState().initialize();
    await s.getState().pauseDownload('a');
    expect(backend.calls.filter((c) => c.command === 'pause_download')).toHaveLength(1);
    expect(notices).toEqual([]);
  });

  it('starts and pauses every task whatever is selected: the toolbar acts on a selection itself', async () => {
    // The session banner's Continue means the whole list; before, a selection left in the list narrowed it to the
    // selected tasks, by rules of its own.
    backend.on('start_all_downloads', { result: 2 });
    backend.on('pause_all_downloads', { result: 2 });
    const s = store();
    await s.getState().initialize();
    s.getState().select('a', 'toggle', ['a', 'b']);
    await s.getState().startAllDownloads();
    await s.getState().pauseAllDownloads();
    expect(backend.calls.map((c) => c.command).filter((c) => /^(start|pause|resume)_/.test(c))).toEqual(
      ['start_all_downloads', 'pause_all_downloads']);
  });

  it('moves tasks in the user order from the answer of move_tasks, and shows the buttons disabled without it', async () => {
    backend.on('move_tasks', (args) => ({ result: args.direction === 'up' ? ['b', 'a'] : ['a', 'b'] }));
    const s = store();
    await s.getState().initialize();
    await s.getState().moveTasks(['b'], 'up');
    expect(Object.keys(s.getState().tasks)).toEqual(['b', 'a']);
    expect(backend.calls.find((c) => c.command === 'move_tasks')?.args).toEqual({ taskIds: ['b'], direction: 'up' });
    s.getState().applyEvents([{ event: 'tasks_reordered', payload: { task_ids: ['a', 'b'] } }]);
    expect(Object.keys(s.getState().tasks)).toEqual(['a', 'b']);
    expect(s.getState().canMove).toBe(true);
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
