import type { DownloaderType } from '../../../types/generated/contract';

/**
 * What the user reads for an engine. The contract's names are historical (`Youtube` runs yt-dlp for any site,
 * `M3u8` is HLS); this is the one place they are translated.
 */
const ENGINE_NAMES: Record<DownloaderType, string> = { Http: 'HTTP', M3u8: 'HLS', Youtube: 'yt-dlp' };

export function engineName(type: DownloaderType | null | undefined): string {
  return type ? ENGINE_NAMES[type] ?? type : '—';
}
