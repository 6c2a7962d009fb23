import { describe, expect, it } from 'vitest';
import { makeTask } from '../../../test-support/tasks';
import type { VideoInfo, VideoTask } from '../../../types/generated/contract';
import { courseOf, NO_COURSE } from './courses';
import { engineName } from './engineNames';
import { courseStats, foldedCourses, listRows, userOrder, visibleTasks, type ListQuery } from './visibleTasks';

const info = (zl: string, lesson: string): VideoInfo => ({
  zl_id: zl, zl_name: `Course ${zl}`, id: zl, name: `Course ${zl}`, kc_id: lesson, kc_name: lesson, course_id: lesson,
  course_name: lesson, record_url: null, url: null,
});
const SAME_TIME = '2026-01-01T00:00:00Z';
// One sheet: course B's rows come first, lesson names repeat across courses, all added in one batch.
const sheet: VideoTask[] = [
  makeTask({ id: 't3', video_info: info('B', '第1课'), created_at: SAME_TIME, status: 'Completed', file_size: 100, downloaded_size: 100 }),
  makeTask({ id: 't1', video_info: info('B', '第2课'), created_at: SAME_TIME, status: 'Failed' }),
  makeTask({ id: 't2', video_info: info('A', '第1课'), created_at: SAME_TIME, progress: 50, file_size: 200, downloaded_size: 100 }),
  makeTask({ id: 'p1', created_at: '2026-01-01T00:00:05Z' }),
];
const table = Object.fromEntries(sheet.map((task) => [task.id, task]));
const query: ListQuery = { filter: 'all', search: '', sortBy: 'order', sortDirection: 'asc', showCompleted: true };

describe('courses and the list rows', () => {
  it('names the engines once, in the words users know', () => {
    expect([engineName('Http'), engineName('M3u8'), engineName('Youtube'), engineName(null)]).toEqual(['HTTP', 'HLS', 'yt-dlp', '—']);
  });

  it('takes the course from the sheet, the playlist, or none', () => {
    expect(courseOf(sheet[0])).toMatchObject({ title: 'Course B', kind: 'sheet' });
    expect(courseOf(sheet[3])).toBe(NO_COURSE);
    const entry = makeTask({ id: 'y', downloader_type: 'Youtube', video_info: { ...info('vid1', 'clip'), zl_id: 'vid1', zl_name: 'My list' } });
    const other = makeTask({ id: 'z', downloader_type: 'Youtube', video_info: { ...info('vid2', 'clip'), zl_id: 'vid2', zl_name: 'My list' } });
    expect(courseOf(entry)).toMatchObject({ kind: 'playlist', title: 'My list' });
    expect(courseOf(entry).key).toBe(courseOf(other).key);
  });

  it('keeps the order the tasks arrived in (the backend list, then task_added), whatever the ids or created_at', () => {
    expect(visibleTasks(table, query).map((task) => task.id)).toEqual(['t3', 't1', 't2', 'p1']);
    expect([...sheet].reverse().sort(userOrder(table)).map((task) => task.id)).toEqual(['t3', 't1', 't2', 'p1']);
    expect(visibleTasks(table, { ...query, sortDirection: 'desc' }).map((task) => task.id)).toEqual(['p1', 't2', 't1', 't3']);
  });

  it('groups by course in the user order, with per-course totals over all the course tasks', () => {
    const rows = listRows(visibleTasks(table, query), table, true, {}, true);
    expect(rows.map((row) => (row.kind === 'group' ? `[${row.course.title || 'none'}]` : row.key))).toEqual([
      '[Course B]', 't3', 't1', '[Course A]', 't2', '[none]', 'p1',
    ]);
    const courseB = rows[0];
    expect(courseB.kind === 'group' && courseStats(courseB.ids, table)).toMatchObject({ total: 2, completed: 1, failed: 1, progress: 50 });
    // Filtered to failed tasks, the header still counts the whole course.
    const failed = listRows(visibleTasks(table, { ...query, filter: 'failed' }), table, true, {}, true);
    expect(failed.map((row) => row.key)).toEqual([rows[0].key, 't1']);
    expect(failed[0].kind === 'group' && failed[0].ids).toEqual(['t3', 't1']);
  });

  it('shows pasted links alone without a header', () => {
    const links = { p1: table.p1 };
    expect(listRows(visibleTasks(links, query), links, true, {}, true).map((row) => row.key)).toEqual(['p1']);
  });

  it('folds what the user folded, and the courses finished at load only in the unfiltered view', () => {
    const auto = { done: true, opened: true } as const;
    const mine = { opened: false, folded: true };
    expect(foldedCourses(mine, auto, { searching: false, filtered: false })).toEqual({ done: true, folded: true });
    // Filtered (to Completed, say), the finished courses show their lessons; the user's own fold stays.
    expect(foldedCourses(mine, auto, { searching: false, filtered: true })).toEqual({ folded: true });
    // A search shows its matches wherever they are.
    expect(foldedCourses(mine, auto, { searching: true, filtered: false })).toEqual({});
  });

  it('hides a collapsed course tasks and shows one flat list when ungrouped', () => {
    const key = courseOf(sheet[0]).key;
    const rows = listRows(visibleTasks(table, query), table, true, { [key]: true }, true);
    expect(rows.map((row) => row.key).filter((k) => !k.startsWith('group:'))).toEqual(['t2', 'p1']);
    expect(listRows(visibleTasks(table, query), table, false, {}, true).map((row) => row.key)).toEqual(['t3', 't1', 't2', 'p1']);
  });

  it('sorts by a column, equal keys staying in the user order, courses keeping theirs', () => {
    const sorted = visibleTasks(table, { ...query, sortBy: 'status' });
    expect(listRows(sorted, table, false, {}, false).map((row) => row.key)).toEqual(['t1', 't2', 'p1', 't3']);
    const grouped = listRows(sorted, table, true, {}, false);
    expect(grouped.map((row) => (row.kind === 'group' ? row.course.title || 'none' : row.key))).toEqual([
      'Course B', 't1', 't3', 'Course A', 't2', 'none', 'p1',
    ]);
  });
});
