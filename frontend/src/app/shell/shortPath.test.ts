import { describe, expect, it } from 'vitest';
import { columns, shortPath } from './shortPath';

describe('shortPath', () => {
  it('keeps a path that fits whole', () => {
    expect(shortPath('/srv/videos')).toBe('/srv/videos');
    expect(shortPath('C:\\Videos')).toBe('C:\\Videos');
  });

  it('shows the last two folder names of a long path after …/', () => {
    expect(shortPath('/home/someone/Downloads/课程/Python 异步编程')).toBe('…/课程/Python 异步编程');
  });

  it('falls back to the last folder name when two do not fit', () => {
    expect(shortPath('/tmp/pytest-of-vdp/pytest-12/qirmbcj_/Video Downloader Pro')).toBe('…/Video Downloader Pro');
  });

  it('keeps the separator of a Windows path', () => {
    expect(shortPath('C:\\Users\\someone\\Videos\\Courses\\Async')).toBe('…\\Courses\\Async');
  });

  it('ignores a trailing separator', () => {
    expect(shortPath('/home/someone/Downloads/courses/async/')).toBe('…/courses/async');
  });

  it('counts CJK characters as two columns', () => {
    expect(columns('课程')).toBe(4);
    expect(columns('ab')).toBe(2);
  });
});
