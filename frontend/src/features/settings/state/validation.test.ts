import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../types/generated/contract';
import { validateConfig } from './validation';

const VALID = {
  download: {
    output_directory: '/home/me/Downloads/Video Downloader Pro', proxy: null, concurrent_downloads: 3,
    max_connections_per_download: 8, hls_segment_concurrency: 8, max_total_connections: 32, retry_attempts: 3,
    timeout_seconds: 30, connect_timeout_seconds: 15,
  },
  advanced: { rate_limit_mbps: null },
  ui: { schedule_start_time: '01:00', schedule_pause_time: null },
} as unknown as AppConfig;

const withPatch = (section: 'download' | 'advanced' | 'ui', values: object) =>
  ({ ...VALID, [section]: { ...(VALID as unknown as Record<string, object>)[section], ...values } }) as AppConfig;

describe('settings validation', () => {
  it('accepts the defaults', () => {
    expect(validateConfig(VALID)).toEqual({});
  });

  it('names each field out of bounds with its bounds', () => {
    const problems = validateConfig(withPatch('download', { concurrent_downloads: 0, retry_attempts: 2.5, timeout_seconds: 3601 }));
    expect(problems['concurrent-downloads']).toEqual({ key: 'validation.range', params: { min: 1, max: 64 } });
    expect(problems['retry-attempts']).toEqual({ key: 'validation.range', params: { min: 0, max: 10 } });
    expect(problems['timeout-seconds']).toEqual({ key: 'validation.range', params: { min: 1, max: 3600 } });
    expect(Object.keys(problems)).toHaveLength(3);
  });

  it('checks the folder, the proxy, the rate limit and the schedule times', () => {
    expect(validateConfig(withPatch('download', { output_directory: '  ' }))).toHaveProperty('output-directory');
    expect(validateConfig(withPatch('download', { proxy: 'localhost:8080' }))).toHaveProperty('proxy');
    expect(validateConfig(withPatch('download', { proxy: 'socks5://127.0.0.1:1080' }))).toEqual({});
    expect(validateConfig(withPatch('advanced', { rate_limit_mbps: 0 }))).toHaveProperty('rate-limit');
    expect(validateConfig(withPatch('ui', { schedule_pause_time: '25:00' }))).toHaveProperty('schedule-pause');
  });
});
