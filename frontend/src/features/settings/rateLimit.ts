/**
 * The speed-limit setting `advanced.rate_limit_mbps` counts megabits per second, as its key says and as the backend
 * applies it (8 Mbit/s = 1 MB/s). The field shows and sends that number unchanged: one unit end to end.
 */
export const RATE_LIMIT_UNIT = 'Mbit/s';

/** The field's text as the setting's value: null when empty (no limit), NaN when it is not a number above 0 (the
 *  form says so; nothing is sent). */
export function rateLimitFromField(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : Number.NaN;
}

/** Bytes per second in a megabit per second, as the backend counts it (`MEGABIT` in engines/ratelimit.py). */
const BYTES_PER_MBIT = 1_000_000 / 8;

/** A limit in the setting's unit as the bytes per second the per-task command takes (null: no limit). */
export function bytesPerSecondFromMbit(mbit: number | null): number | null {
  return mbit === null ? null : Math.round(mbit * BYTES_PER_MBIT);
}

/** Bytes per second shown in the setting's unit (two decimals at most). */
export function mbitFromBytesPerSecond(bytes: number): number {
  return Math.round((bytes / BYTES_PER_MBIT) * 100) / 100;
}
