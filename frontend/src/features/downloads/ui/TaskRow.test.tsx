import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { makeTask } from '../../../test-support/tasks';
import type { VideoTask } from '../../../types/generated/contract';
import { NO_COURSE } from '../state/courses';
import { TaskRow } from './TaskRow';

// The row in zh-CN (server rendering reads a store's initial state, so the language is set here, not in the config).
vi.mock('../../../app/i18n', async () => {
  const { translator } = await import('../../../i18n');
  return { useT: () => translator('zh-CN') };
});

const ENGLISH = 'File not found on the server (HTTP 404): http://127.0.0.1/missing.bin';

function row(task: VideoTask): string {
  return renderToStaticMarkup(createElement(TaskRow, {
    listed: task, rowIndex: 2, course: NO_COURSE, selected: false, focused: false, connected: true, inGroup: false,
    desktop: false, onPointerSelect: () => undefined,
  }));
}

function failedRow(errorCode: 'not_found' | null): string {
  return row(makeTask({ id: 'a', status: 'Failed', error_message: ENGLISH, error_code: errorCode }));
}

describe('a failed row in zh-CN', () => {
  it('says why in Chinese by the error code and keeps the backend text as the tooltip', () => {
    const html = failedRow('not_found');
    expect(html).toContain('<span class="row-error" data-testid="row-error">服务器上没有这个文件（404）</span>');
    expect(html).toContain(`title="${ENGLISH}"`);
  });

  it('shows the backend text when the task has no code (stored before codes existed)', () => {
    expect(failedRow(null)).toContain(`data-testid="row-error">${ENGLISH}</span>`);
  });
});

describe('a downloading row in zh-CN', () => {
  it('shows the time left in Chinese units', () => {
    const html = row(makeTask({ id: 'a', status: 'Downloading', speed: 1000, eta: 3900 }));
    expect(html).toContain('data-testid="row-eta">1小时05分</div>');
  });
});

describe('the engine tag of a row in zh-CN', () => {
  it('explains the engine choice in Chinese in its tooltip', () => {
    const html = row(makeTask({ id: 'a', routing_reason: 'direct file link (.mp4)' }));
    expect(html).toContain('data-testid="row-engine" title="直接文件链接（.mp4）">HTTP</span>');
  });
});

describe('the progress of a row', () => {
  it('draws no track and shows no percentage for a lesson not one byte of which has arrived', () => {
    for (const status of ['Pending', 'Paused', 'Failed', 'Cancelled'] as const) {
      const html = row(makeTask({ id: 'a', status, downloaded_size: 0, progress: 0 }));
      expect(html).toContain('data-testid="row-percent">—</span>');
      expect(html).toContain('class="bar bar-unstarted" role="progressbar"');
      expect(html).toContain('aria-valuenow="0"');  // a screen reader still hears 0
    }
  });

  it('shows the bar from the first byte on, and while a download is under way', () => {
    const paused = row(makeTask({ id: 'a', status: 'Paused', downloaded_size: 1024, file_size: 4096, progress: 25 }));
    expect(paused).toContain('class="bar" role="progressbar"');
    expect(paused).toContain('aria-valuenow="25"');
    expect(paused).toContain('data-testid="row-percent">25.0%</span>');
    const starting = row(makeTask({ id: 'a', status: 'Downloading', downloaded_size: 0, progress: 0 }));
    expect(starting).toContain('class="bar" role="progressbar"');
    expect(starting).toContain('data-testid="row-percent">0%</span>');
  });

  it('says a lesson waiting for a slot is queued, whatever status it keeps meanwhile', () => {
    for (const status of ['Pending', 'Paused'] as const) {
      const html = row(makeTask({ id: 'a', status, queued: true }));
      expect(html).toContain('class="badge badge-queued" data-testid="row-status">排队中</span>');
    }
    expect(row(makeTask({ id: 'a', status: 'Paused', queued: false }))).toContain('data-testid="row-status">已暂停</span>');
  });
});
