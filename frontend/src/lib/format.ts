/** Human-readable numbers for the task list and status bar. Binary units (1 KiB = 1024 B), as file managers show. */

import type { Translate } from '../i18n';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatSpeed(bytesPerSecond: number | null | undefined): string {
  if (!bytesPerSecond || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * Seconds left in the user's language (`t` from useT): `1h 02m`, `3m 05s`, `42s` in English, `1小时02分`,
 * `3分05秒`, `42秒` in Chinese. The two largest units only; unknown or absurd values as a dash.
 */
export function formatEta(seconds: number | null | undefined, t: Translate): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  if (total >= 100 * 86400) return '—';
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return t('eta.days', { days, hours: pad(hours) });
  if (hours > 0) return t('eta.hours', { hours, minutes: pad(minutes) });
  if (minutes > 0) return t('eta.minutes', { minutes, seconds: pad(secs) });
  return t('eta.seconds', { seconds: secs });
}

/**
 * A 0–100 percentage with one decimal. Never 100 before the task is Completed (the finalising step may still
 * be running), and always 100 once it is.
 */
export function formatPercent(percent: number, completed: boolean): string {
  if (completed) return '100%';
  if (!Number.isFinite(percent) || percent <= 0) return '0%';
  const shown = Math.min(Math.floor(percent * 10) / 10, 99.9);
  return `${shown.toFixed(1)}%`;
}

/** downloaded / total, or just downloaded while the size is unknown. */
export function formatProgressBytes(downloaded: number, total: number | null): string {
  return total ? `${formatBytes(downloaded)} / ${formatBytes(total)}` : formatBytes(downloaded);
}
