import { describe, expect, it } from 'vitest';
import { assignField, backendMapping, defaultMapping, hasUrlColumn } from './fieldMapping';

describe('import field mapping', () => {
  const headers = ['专栏ID', '课程名称', '视频链接', 'extra'];

  it('takes the backend guess in any spelling and ignores the rest', () => {
    const mapping = defaultMapping(headers, { 专栏ID: 'zl_id', 课程名称: 'course_name', 视频链接: 'record_url' });
    expect(mapping).toEqual({ 专栏ID: 'column_id', 课程名称: 'course_name', 视频链接: 'video_url', extra: '' });
    expect(hasUrlColumn(mapping)).toBe(true);
  });

  it('gives each field to one header only', () => {
    expect(defaultMapping(['a', 'b'], { a: 'url', b: 'video_url' })).toEqual({ a: 'video_url', b: '' });
    const moved = assignField({ a: 'video_url', b: '' }, 'b', 'video_url');
    expect(moved).toEqual({ a: '', b: 'video_url' });
  });

  it('inverts to the backend shape, dropping ignored columns', () => {
    expect(backendMapping({ 视频链接: 'video_url', 课程名称: 'course_name', extra: '' })).toEqual({
      video_url: '视频链接',
      course_name: '课程名称',
    });
    expect(hasUrlColumn({ x: 'course_name' })).toBe(false);
  });
});
