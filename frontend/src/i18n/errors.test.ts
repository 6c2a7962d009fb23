import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localizeError, localizeTaskError, localizeWarning } from './errors';
import { isMessageKey, translator } from './index';

const zh = translator('zh-CN');

describe('localizeError', () => {
  it('translates by code and keeps the backend text as the detail', () => {
    expect(isMessageKey('error.task_not_found')).toBe(true);
    const reason = Object.assign(new Error('Task not found: task_1'), { code: 'task_not_found' });
    const shown = localizeError(zh, reason);
    expect(shown.message).toBe(zh('error.task_not_found'));
    expect(shown.message).not.toBe('Task not found: task_1');
    expect(shown.detail).toBe('Task not found: task_1');
  });

  it('reads the desktop bridge plain object too', () => {
    expect(localizeError(zh, { message: 'nope', code: 'desktop_only' })).toEqual({
      message: zh('error.desktop_only'),
      detail: 'nope',
    });
  });

  it('falls back to the backend text for an unknown code or none', () => {
    expect(localizeError(zh, { message: 'odd', code: 'no_such_code' })).toEqual({ message: 'odd' });
    expect(localizeError(zh, 'plain text')).toEqual({ message: 'plain text' });
  });
});

describe('localizeTaskError', () => {
  it('says why a task failed in zh-CN by its error_code, the backend text as the detail', () => {
    const english = 'File not found on the server (HTTP 404)';
    expect(localizeTaskError(zh, { error_code: 'not_found', error_message: english })).toEqual({
      message: '服务器上没有这个文件（404）',
      detail: english,
    });
  });

  it('shows the backend text for a task without a code (an older task), and nothing without either', () => {
    expect(localizeTaskError(zh, { error_code: null, error_message: 'HTTP 404' })).toEqual({ message: 'HTTP 404' });
    expect(localizeTaskError(zh, { error_code: null, error_message: null })).toBeNull();
  });
});

describe('localizeWarning', () => {
  it('prefers the warning text, then the error text of the same code, then the backend text', () => {
    expect(localizeWarning(zh, { code: 'stalled', message: 'No data received for 30 s' })).toEqual({
      message: zh('warning.stalled'),
      detail: 'No data received for 30 s',
    });
    expect(localizeWarning(zh, { code: 'disk_full', message: 'No space left' }).message).toBe(zh('error.disk_full'));
    expect(localizeWarning(zh, { code: 'something_new', message: 'odd' })).toEqual({ message: 'odd' });
  });
});

describe('error catalog', () => {
  it('has a message for every error code the backend can send, in every language', () => {
    // The contract's JSON Schema lists the codes (ErrorCode); a new code without a message would reach users raw.
    const schema = JSON.parse(readFileSync(new URL('../../../shared-schema/contract.schema.json', import.meta.url), 'utf8'));
    const codes: string[] = (schema.$defs ?? schema.definitions).ErrorCode.enum;
    expect(codes.length).toBeGreaterThan(40);
    const missing = codes.filter((code) => !isMessageKey(`error.${code}`) && !isMessageKey(`warning.${code}`));
    expect(missing).toEqual([]);
  });
});
