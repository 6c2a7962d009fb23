import { describe, expect, it } from 'vitest';
import { makeTask } from '../../../test-support/tasks';
import { emptyTable, reduceEvents, SPEED_HISTORY_LENGTH, withSnapshot, type TaskTable } from './taskEvents';

const table = (...ids: string[]): TaskTable => withSnapshot(emptyTable(), ids.map((id) => makeTask({ id })));

/** A progress event as both runtimes publish it: every field, the v2 names beside their legacy twins. */
const progress = (taskId: string, downloaded: number, total: number | null = null, speed = 0, eta: number | null = null) => ({
  event: 'download_progress',
  payload: {
    task_id: taskId, downloaded, total, instantaneous_speed: speed, smoothed_speed: speed, eta_secs: eta,
    downloaded_size: downloaded, total_size: total, speed, eta, progress: total ? downloaded / total : 0,
  },
});

describe('reduceEvents', () => {
  it('replaces a row from task_updated', () => {
    const added = reduceEvents(emptyTable(), [{ event: 'task_added', payload: makeTask({ id: 'a', title: 'watch' }) }]).table;
    const updated = reduceEvents(added, [{ event: 'task_updated', payload: makeTask({ id: 'a', title: 'Lesson 1' }) }]).table;
    expect(updated.tasks.a.title).toBe('Lesson 1');
  });

  it('adds and removes tasks from task_added / task_removed', () => {
    const added = reduceEvents(emptyTable(), [{ event: 'task_added', payload: makeTask({ id: 'a' }) }]).table;
    expect(Object.keys(added.tasks)).toEqual(['a']);
    const removed = reduceEvents(added, [{ event: 'task_removed', payload: { task_id: 'a' } }]).table;
    expect(removed.tasks).toEqual({});
  });

  it('applies v2 progress: bytes, total, smoothed speed, eta and a 0-100 percentage', () => {
    const { table: next } = reduceEvents(table('a'), [
      {
        event: 'download_progress',
        payload: { task_id: 'a', downloaded: 250, total: 1000, instantaneous_speed: 90, smoothed_speed: 100, eta_secs: 7, downloaded_size: 250, total_size: 1000, speed: 90, eta: 7, progress: 0.25 },
      },
    ]);
    expect(next.tasks.a).toMatchObject({ downloaded_size: 250, file_size: 1000, speed: 100, eta: 7, progress: 25 });
  });

  it('applies progress of unknown total: the bytes and the speed, no percentage', () => {
    const { table: next } = reduceEvents(table('a'), [progress('a', 300, null, 50)]);
    expect(next.tasks.a).toMatchObject({ downloaded_size: 300, file_size: null, speed: 50, eta: null, progress: 0 });
  });

  it('ignores progress for a completed task and for unknown ids', () => {
    const start = withSnapshot(emptyTable(), [makeTask({ id: 'a', status: 'Completed', progress: 100, downloaded_size: 10 })]);
    const { table: next } = reduceEvents(start, [
      progress('a', 3),
      progress('ghost', 3),
    ]);
    expect(next.tasks.a.downloaded_size).toBe(10);
    expect(next.tasks.ghost).toBeUndefined();
    // Nothing changed: the same table, so no subscriber re-renders for it.
    expect(next).toBe(start);
  });

  it('sets status and error from task_status_changed, zeroing speed when not running', () => {
    const running = reduceEvents(table('a'), [
      { event: 'task_status_changed', payload: { task_id: 'a', from: 'Pending', to: 'Downloading', status: 'Downloading', error: null, error_message: null } },
      progress('a', 5, 10, 3, 2),
    ]).table;
    const { table: failed, effects } = reduceEvents(running, [
      { event: 'task_status_changed', payload: { task_id: 'a', from: 'Downloading', to: 'Failed', status: 'Failed', error: 'HTTP 404', error_message: 'HTTP 404' } },
    ]);
    expect(failed.tasks.a).toMatchObject({ status: 'Failed', error_message: 'HTTP 404', speed: 0, eta: null });
    expect(effects.statusChanges).toHaveLength(1);
  });

  it('takes a task that starts, ends or pauses out of the queue; only a retry\'s wait may stay queued', () => {
    const queued = withSnapshot(emptyTable(), [makeTask({ id: 'a', status: 'Pending', queued: true })]);
    const change = (from: string, to: string) => ({ event: 'task_status_changed', payload: { task_id: 'a', from, to, status: to, error: null } });
    for (const to of ['Scheduled', 'Failed', 'Paused', 'Cancelled']) {
      expect(reduceEvents(queued, [change('Pending', to)]).table.tasks.a.queued).toBe(false);
    }
    expect(reduceEvents(queued, [change('Downloading', 'Pending')]).table.tasks.a.queued).toBe(true);
  });

  it('keeps the error code beside the error and clears both when the task is tried again', () => {
    const { table: failed } = reduceEvents(table('a'), [
      { event: 'task_status_changed', payload: { task_id: 'a', from: 'Downloading', to: 'Failed', status: 'Failed', error: 'HTTP 404', error_message: 'HTTP 404', error_code: 'not_found' } },
    ]);
    expect(failed.tasks.a).toMatchObject({ error_message: 'HTTP 404', error_code: 'not_found' });
    const { table: again } = reduceEvents(failed, [
      { event: 'task_status_changed', payload: { task_id: 'a', from: 'Failed', to: 'Pending', status: 'Pending', error: null, error_message: null, error_code: null } },
    ]);
    expect(again.tasks.a).toMatchObject({ error_message: null, error_code: null });
  });

  it('tracks "retrying n/m" until the task completes', () => {
    const retrying = reduceEvents(table('a'), [
      { event: 'runtime_warning', payload: { code: 'retrying', message: 'HTTP 503', task_id: 'a', attempt: 2, max_attempts: 5 } },
    ]);
    expect(retrying.table.retrying.a).toEqual({ attempt: 2, maxAttempts: 5 });
    expect(retrying.effects.warnings).toHaveLength(1);
    expect(retrying.effects.refresh).toBe(false);
    const done = reduceEvents(retrying.table, [
      { event: 'task_status_changed', payload: { task_id: 'a', to: 'Completed', status: 'Completed', error: null } },
    ]);
    expect(done.table.retrying).toEqual({});
  });

  it('asks for a refresh after a lagged warning', () => {
    const { effects } = reduceEvents(table(), [{ event: 'runtime_warning', payload: { code: 'lagged', message: 'lagged', task_id: null } }]);
    expect(effects.refresh).toBe(true);
  });

  it('fetches the list again once the queue started or stopped (each waiting task changed `queued` with it)', () => {
    const { effects } = reduceEvents(table(), [{ event: 'queue_state_changed', payload: { running: false } }]);
    expect(effects.refetch).toBe(true);
  });

  it('keeps the metrics and a bounded speed history', () => {
    let next = emptyTable();
    for (let i = 0; i < SPEED_HISTORY_LENGTH + 5; i += 1) {
      next = reduceEvents(next, [{ event: 'download_metrics', payload: { active: 1, queued: 0, total_speed: i } }]).table;
    }
    expect(next.metrics?.total_speed).toBe(SPEED_HISTORY_LENGTH + 4);
    expect(next.speedHistory).toHaveLength(SPEED_HISTORY_LENGTH);
    expect(next.speedHistory.at(-1)).toBe(SPEED_HISTORY_LENGTH + 4);
  });

  it('returns the same table when a batch changes nothing', () => {
    const start = table('a');
    expect(reduceEvents(start, [{ event: 'app_ready', payload: true }]).table).toBe(start);
  });

  it('applies a whole batch to a new table, leaving the old one as it was', () => {
    const start = table('a', 'b');
    const { table: next } = reduceEvents(start, [
      progress('a', 1),
      progress('b', 2),
    ]);
    expect(next.tasks).not.toBe(start.tasks);
    expect(start.tasks.a.downloaded_size).toBe(0);
    expect([next.tasks.a.downloaded_size, next.tasks.b.downloaded_size]).toEqual([1, 2]);
  });
});
