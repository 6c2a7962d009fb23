// @vitest-environment jsdom
import * as Tooltip from '@radix-ui/react-tooltip';
import { act, createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { domRoot } from '../../../test-support/dom';
import { makeTask } from '../../../test-support/tasks';
import { configStore, downloadStore } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import type { Course } from '../state/courses';
import { GroupRow } from './GroupRow';

const COURSE: Course = { key: 'sheet:7:数据分析入门', title: '数据分析入门', kind: 'sheet' };

const dom = domRoot();

function header(tasks: VideoTask[]): HTMLElement {
  act(() => downloadStore.setState({ tasks: Object.fromEntries(tasks.map((task) => [task.id, task])) }));
  return dom.render(createElement(Tooltip.Provider, null, createElement(GroupRow, {
    rowIndex: 1, rowKey: COURSE.key, course: COURSE, ids: tasks.map((task) => task.id), collapsed: false,
    focused: false, connected: true,
  }))).querySelector('[data-testid=group-row]')!;
}

beforeEach(() => configStore.setState({ config: { ui: { language: 'zh-CN' } } } as never));
afterEach(() => act(() => downloadStore.setState({ tasks: {} })));  // the store is shared with later test files

describe('a course header', () => {
  it('draws no track and shows no percentage while none of its lessons has begun', () => {
    const row = header([makeTask({ id: 'a', status: 'Pending' }), makeTask({ id: 'b', status: 'Paused' })]);
    expect(row.querySelector('[data-testid=group-percent]')!.textContent).toBe('—');
    expect(row.querySelector('[role=progressbar]')!.className).toBe('bar bar-unstarted');
  });

  it('shows the course progress once one lesson has bytes or has completed', () => {
    const row = header([
      makeTask({ id: 'a', status: 'Completed', progress: 100, downloaded_size: 10, file_size: 10 }),
      makeTask({ id: 'b', status: 'Pending' }),
    ]);
    expect(row.querySelector('[data-testid=group-percent]')!.textContent).toBe('50%');
    expect(row.querySelector('[role=progressbar]')!.className).toBe('bar');
    expect(row.querySelector('[role=progressbar]')!.getAttribute('aria-valuenow')).toBe('50');
  });
});
