const WIDTH = 64;
const HEIGHT = 16;
/** The newest sample's dot: its radius, and the room it keeps free on the right and top edges. */
const DOT = 1.5;
/** Room above the peak, so a steady speed draws a line inside the box, not on its top edge. */
const HEADROOM = 1.25;

/**
 * A small chart of the total speed over the last metrics samples: a faint baseline, the area under the line
 * filled, the newest sample marked, the peak in the tooltip. With no speed to show yet (fewer than two samples,
 * or only zeros) it draws nothing, so a quiet app has no stray line in its status bar.
 */
export function SpeedGraph({ samples, describe }: { samples: number[]; describe: (peak: number) => string }) {
  const peak = Math.max(0, ...samples);
  if (samples.length < 2 || peak <= 0) return null;
  const label = describe(peak);
  const right = WIDTH - DOT;
  const step = right / (samples.length - 1);
  const y = (value: number) => (HEIGHT - (value / (peak * HEADROOM)) * HEIGHT).toFixed(1);
  const line = samples.map((value, index) => `${(index * step).toFixed(1)},${y(value)}`).join(' ');
  return (
    <svg className="speed-graph" data-testid="speed-graph" role="img" aria-label={label}
      width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
      <title>{label}</title>
      <line className="speed-graph-base" x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} />
      <polygon className="speed-graph-area" points={`0,${HEIGHT} ${line} ${right},${HEIGHT}`} />
      <polyline className="speed-graph-line" points={line} />
      <circle className="speed-graph-now" cx={right} cy={y(samples[samples.length - 1])} r={DOT} />
    </svg>
  );
}
