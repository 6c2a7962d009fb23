/** Display columns the short form may take: the header's folder box holds about this many at 1024 px. */
const SHORT_PATH_COLUMNS = 24;

const ELLIPSIS = '…';

/** Columns a text takes in the box: CJK and other wide characters count twice. */
export function columns(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return width;
}

/**
 * A folder path as a person reads it in a narrow box: whole when it fits, else its last two folder names
 * (`…/课程/Python 异步编程`), else its last one (`…/Video Downloader Pro`). The start of a long path (home,
 * drive, temp directory) says little; the end names the folder. The full path belongs in the tooltip.
 */
export function shortPath(path: string, limit = SHORT_PATH_COLUMNS): string {
  if (columns(path) <= limit) return path;
  const separator = path.includes('/') || !path.includes('\\') ? '/' : '\\';
  const names = path.split(/[\\/]+/).filter(Boolean);
  if (names.length < 2) return path;
  const lastTwo = `${ELLIPSIS}${separator}${names.slice(-2).join(separator)}`;
  return columns(lastTwo) <= limit || names.length < 3 ? lastTwo : `${ELLIPSIS}${separator}${names.at(-1)}`;
}
