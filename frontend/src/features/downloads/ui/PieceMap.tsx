import { useT } from '../../../app/i18n';
import type { PieceMap as Pieces, SegmentProgress } from '../api/taskDetails';

const MAX_CELLS = 240;

/**
 * What is on disk. HTTP: the byte ranges the engine (or the last checkpoint) holds, on a bar as long as the file.
 * HLS: one cell per part (grouped when there are many). Nothing known: a sentence instead of an empty bar.
 */
export function PieceMap({ pieces, segments }: { pieces: Pieces | undefined; segments: SegmentProgress | null | undefined }) {
  const t = useT();
  if (segments?.total) {
    const per = Math.ceil(segments.total / MAX_CELLS);
    const cells = Math.ceil(segments.total / per);
    const doneCells = segments.done / per;
    return (
      <div className="segment-map" data-testid="piece-map" data-kind="segments" data-done={segments.done} role="img"
           aria-label={t('list.details.segments', { done: segments.done, total: segments.total })}>
        {Array.from({ length: cells }, (_, index) => (
          <span key={index} className={index + 1 <= doneCells ? 'segment done' : index < doneCells ? 'segment part' : 'segment'} />
        ))}
      </div>
    );
  }
  if (pieces && pieces.source !== 'none' && pieces.total && pieces.ranges.length) {
    const total = pieces.total;
    return (
      <div className="piece-map" data-testid="piece-map" data-kind="ranges" data-source={pieces.source} data-ranges={pieces.ranges.length}
           data-done={pieces.done_bytes} role="img"
           aria-label={t('list.details.pieces', { count: pieces.ranges.length, percent: Math.floor((pieces.done_bytes / total) * 100) })}>
        {pieces.ranges.map((range) => (
          <div key={range.start} className="piece-done" style={{ left: `${(range.start / total) * 100}%`, width: `${((range.end - range.start) / total) * 100}%` }} />
        ))}
      </div>
    );
  }
  return <p className="muted" data-testid="piece-map-empty">{t('list.details.noPieces')}</p>;
}
