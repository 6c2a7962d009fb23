/**
 * The settings form's checks, run before Save so every message is in the user's language (the backend checks the
 * same bounds again and answers in English). Bounds match the contract's models (backend/vdp/contract/config.py).
 */
import type { MessageKey } from '../../../i18n';
import type { AppConfig } from '../../../types/generated/contract';

export interface Problem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** Setting id (the form's data-testid suffix) → what is wrong with it. */
export type Problems = Record<string, Problem>;

/** Integer settings of `download`: id, key, and the contract's bounds. */
export const DOWNLOAD_NUMBERS = [
  { id: 'concurrent-downloads', key: 'concurrent_downloads', min: 1, max: 64 },
  { id: 'max-connections', key: 'max_connections_per_download', min: 1, max: 32 },
  { id: 'hls-segments', key: 'hls_segment_concurrency', min: 1, max: 32 },
  { id: 'total-connections', key: 'max_total_connections', min: 1, max: 256 },
  { id: 'retry-attempts', key: 'retry_attempts', min: 0, max: 10 },
  { id: 'timeout-seconds', key: 'timeout_seconds', min: 1, max: 3600 },
  { id: 'connect-timeout', key: 'connect_timeout_seconds', min: 1, max: 300 },
] as const;

export const RATE_LIMIT_MAX = 10_000;
const PROXY = /^(https?|socks5h?|socks4):\/\/\S+$/i;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function validateConfig(config: AppConfig): Problems {
  const problems: Problems = {};
  const download = config.download as unknown as Record<string, unknown>;
  for (const { id, key, min, max } of DOWNLOAD_NUMBERS) {
    const value = download[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems[id] = { key: 'validation.range', params: { min, max } };
    }
  }
  if (!config.download.output_directory.trim()) problems['output-directory'] = { key: 'validation.required' };
  const proxy = config.download.proxy;
  if (proxy && !PROXY.test(proxy.trim())) problems.proxy = { key: 'validation.proxy' };
  const rate = config.advanced.rate_limit_mbps;
  if (rate !== null && rate !== undefined && (!Number.isFinite(rate) || rate <= 0 || rate > RATE_LIMIT_MAX)) {
    problems['rate-limit'] = { key: 'validation.positive', params: { max: RATE_LIMIT_MAX } };
  }
  const ui = config.ui;
  for (const [id, value] of [['schedule-start', ui?.schedule_start_time], ['schedule-pause', ui?.schedule_pause_time]] as const) {
    if (value && !TIME.test(value)) problems[id] = { key: 'validation.time' };
  }
  return problems;
}
