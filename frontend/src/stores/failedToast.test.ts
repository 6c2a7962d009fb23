import { afterEach, describe, expect, it } from 'vitest';
import { makeTask } from '../test-support/tasks';
import type { AppConfig } from '../types/generated/contract';
import { configStore, downloadStore, uiStore } from './index';

const ENGLISH = 'File not found on the server (HTTP 404): http://127.0.0.1/missing.bin';

describe('the "failed" toast', () => {
  afterEach(() => {
    configStore.setState({ config: null });
    uiStore.setState({ toasts: [] });
  });

  it('says why in zh-CN by the error code, the backend text as its detail', () => {
    configStore.setState({ config: { ui: { language: 'zh-CN' } } as AppConfig });
    downloadStore.getState().applyEvents([
      { event: 'task_added', payload: makeTask({ id: 'a', title: '第3课', status: 'Downloading' }) },
      {
        event: 'task_status_changed',
        payload: { task_id: 'a', from: 'Downloading', to: 'Failed', status: 'Failed', error: ENGLISH, error_message: ENGLISH, error_code: 'not_found' },
      },
    ]);
    const failed = uiStore.getState().toasts.filter((toast) => toast.kind === 'error');
    expect(failed.map(({ message, detail }) => ({ message, detail }))).toEqual([
      { message: '第3课: 服务器上没有这个文件（404）', detail: ENGLISH },
    ]);
  });
});
