import { describe, expect, it } from 'vitest';
import { makeTask } from '../../../test-support/tasks';
import { countByFilter, visibleTasks, type ListQuery } from './visibleTasks';

const tasks = Object.fromEntries(
  [
    makeTask({ id: 'a', title: 'Alpha', status: 'Downloading', speed: 5, created_at: '2026-01-01T00:00:01Z' }),
    makeTask({ id: 'b', title: 'beta', status: 'Completed', created_at: '2026-01-01T00:00:02Z' }),
    makeTask({ id: 'c', title: 'Gamma', status: 'Failed', url: 'https://cdn.test/special.m3u8', created_at: '2026-01-01T00:00:03Z' }),
    makeTask({ id: 'd', title: 'Delta', status: 'Scheduled', created_at: '2026-01-01T00:00:04Z' }),
  ].map((task) => [task.id, task]),
);
const query: ListQuery = { filter: 'all', search: '', sortBy: 'order', sortDirection: 'asc', showCompleted: true };
const ids = (q: Partial<ListQuery>) => visibleTasks(tasks, { ...query, ...q }).map((task) => task.id);

describe('visible tasks', () => {
  it('counts each filter tab', () => {
    expect(countByFilter(tasks)).toEqual({ all: 4, active: 2, pending: 0, paused: 0, completed: 1, failed: 1, cancelled: 0 });
  });
  it('filters by status group, in the user order', () => expect(ids({ filter: 'active' })).toEqual(['a', 'd']));
  it('searches title and URL, case-insensitively', () => {
    expect(ids({ search: 'ALPHA' })).toEqual(['a']);
    expect(ids({ search: 'special' })).toEqual(['c']);
  });
  it('sorts both ways', () => {
    expect(ids({ sortBy: 'name', sortDirection: 'asc' })).toEqual(['a', 'b', 'd', 'c']);
    expect(ids({ sortBy: 'name', sortDirection: 'desc' })).toEqual(['c', 'd', 'b', 'a']);
    expect(ids({ sortBy: 'status', sortDirection: 'asc' })).toEqual(['a', 'd', 'c', 'b']);
  });
  it('counts and filters a paused lesson waiting for a slot as waiting, not as paused', () => {
    const withWaiting = { ...tasks, e: makeTask({ id: 'e', title: 'Epsilon', status: 'Paused', queued: true }) };
    expect(countByFilter(withWaiting)).toMatchObject({ pending: 1, paused: 0 });
    expect(visibleTasks(withWaiting, { ...query, filter: 'pending' }).map((task) => task.id)).toEqual(['e']);
    const byStatus = visibleTasks(withWaiting, { ...query, sortBy: 'status' }).map((task) => task.id);
    expect(byStatus.indexOf('e')).toBeGreaterThan(byStatus.indexOf('c')); // after Failed, with the waiting ones
  });
  it('hides completed tasks when asked, except on the completed tab', () => {
    expect(ids({ showCompleted: false })).not.toContain('b');
    expect(ids({ showCompleted: false, filter: 'completed' })).toEqual(['b']);
  });
});
