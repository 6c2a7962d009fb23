// @vitest-environment jsdom
import { act, createElement } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { domRoot } from '../../test-support/dom';
import { configStore } from '../../stores';
import { SaveFolder } from './SaveFolder';

globalThis.ResizeObserver ??= class {
  observe() {}
  disconnect() {}
  unobserve() {}
} as unknown as typeof ResizeObserver;

const FOLDER = '/home/someone/Downloads/课程/Python 异步编程';

const dom = domRoot();

beforeEach(() => {
  configStore.setState({ config: { download: { output_directory: FOLDER }, ui: { language: 'zh-CN' } } } as never);
  dom.render(createElement(SaveFolder));
});

const field = () => dom.host.querySelector<HTMLInputElement>('[data-testid=save-folder-path]')!;

describe('the save folder box in the header', () => {
  it('shows the last folder names of a long path, and all of it in the tooltip and the accessible name', () => {
    expect(field().value).toBe('…/课程/Python 异步编程');
    expect(field().title).toBe(FOLDER);
    expect(field().getAttribute('aria-label')).toBe(`保存到：${FOLDER}`);
  });

  it('holds the full path to edit while the user is in the field', () => {
    act(() => field().focus());
    expect(field().value).toBe(FOLDER);
    act(() => field().blur());
    expect(field().value).toBe('…/课程/Python 异步编程');
  });
});
