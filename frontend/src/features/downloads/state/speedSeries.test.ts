import { describe, expect, it } from 'vitest';
import { speedSeries } from './speedSeries';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const base = Date.UTC(2026, 0, 1) / 1000;

describe('speed samples as chart series', () => {
  it('keeps samples a second apart as one line', () => {
    const { times, speeds } = speedSeries([{ at: at(0), bytes_per_second: 10 }, { at: at(1), bytes_per_second: 20 }]);
    expect(times).toEqual([base, base + 1]);
    expect(speeds).toEqual([10, 20]);
  });

  it('breaks the line between runs (a pause or a retry leaves a gap)', () => {
    const { times, speeds } = speedSeries([{ at: at(0), bytes_per_second: 10 }, { at: at(30), bytes_per_second: 20 }]);
    expect(times).toEqual([base, base + 1, base + 30]);
    expect(speeds).toEqual([10, null, 20]);
  });

  it('has nothing to draw without samples', () => {
    expect(speedSeries(undefined)).toEqual({ times: [], speeds: [] });
  });
});
