import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { formatBytes, formatEta, formatPercent, formatProgressBytes, formatSpeed } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [10 * 1024 * 1024, '10.0 MiB'],
    [150 * 1024 ** 3, '150 GiB'],
    [3 * 1024 ** 5, '3.00 PiB'],
  ])('%d bytes is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it('shows a dash for unknown or invalid sizes', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatSpeed', () => {
  it('adds /s', () => expect(formatSpeed(2.5 * 1024 * 1024)).toBe('2.50 MiB/s'));
  it('shows a dash when idle', () => {
    expect(formatSpeed(0)).toBe('—');
    expect(formatSpeed(null)).toBe('—');
  });
});

describe('formatEta', () => {
  const en = translator('en');
  const zh = translator('zh-CN');

  it.each([
    [0, '0s'],
    [42, '42s'],
    [185, '3m 05s'],
    [3720, '1h 02m'],
    [90000, '1d 01h'],
  ])('%d s is %s in English', (seconds, text) => expect(formatEta(seconds, en)).toBe(text));

  it.each([
    [45, '45秒'],
    [121, '2分01秒'],
    [3900, '1小时05分'],
    [3 * 86400 + 4 * 3600, '3天04小时'],
  ])('%d s is %s in Chinese, with no English unit letters', (seconds, text) => expect(formatEta(seconds, zh)).toBe(text));

  it('shows a dash for unknown, negative or absurd values', () => {
    expect(formatEta(null, zh)).toBe('—');
    expect(formatEta(-5, en)).toBe('—');
    expect(formatEta(1e12, en)).toBe('—');
  });
});

describe('formatPercent', () => {
  it('never shows 100 before completion', () => {
    expect(formatPercent(100, false)).toBe('99.9%');
    expect(formatPercent(99.99, false)).toBe('99.9%');
  });
  it('shows 100 once completed whatever the number says', () => expect(formatPercent(12, true)).toBe('100%'));
  it('rounds down to one decimal', () => expect(formatPercent(45.678, false)).toBe('45.6%'));
  it('treats NaN and negatives as 0', () => {
    expect(formatPercent(Number.NaN, false)).toBe('0%');
    expect(formatPercent(-3, false)).toBe('0%');
  });
});

describe('formatProgressBytes', () => {
  it('shows both numbers when the total is known', () => expect(formatProgressBytes(512, 1024)).toBe('512 B / 1.00 KiB'));
  it('shows only the downloaded bytes otherwise', () => expect(formatProgressBytes(2048, null)).toBe('2.00 KiB'));
});
