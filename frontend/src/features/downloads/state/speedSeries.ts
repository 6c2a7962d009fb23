import type { TaskDetails } from '../api/taskDetails';

/** Samples further apart than this belong to different runs (paused, cancelled, retried): no line joins them. */
const GAP_SECONDS = 5;

/** The backend's speed samples as uPlot series (seconds since the epoch, bytes per second; null = a gap). */
export function speedSeries(samples: TaskDetails['speed_samples'] = []): { times: number[]; speeds: (number | null)[] } {
  const times: number[] = [];
  const speeds: (number | null)[] = [];
  for (const sample of samples) {
    const at = Date.parse(sample.at) / 1000;
    const last = times[times.length - 1];
    if (last !== undefined && at - last > GAP_SECONDS) {
      times.push(last + 1);
      speeds.push(null);
    }
    times.push(at);
    speeds.push(sample.bytes_per_second);
  }
  return { times, speeds };
}
