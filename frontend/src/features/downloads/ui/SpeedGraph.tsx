/** A tiny sparkline of the total speed over the last metrics samples. */
export function SpeedGraph({ samples }: { samples: number[] }) {
  const width = 120;
  const height = 24;
  const peak = Math.max(1, ...samples);
  const step = samples.length > 1 ? width / (samples.length - 1) : width;
  const points = samples.map((value, index) => `${(index * step).toFixed(1)},${(height - (value / peak) * height).toFixed(1)}`);
  return (
    <svg className="speed-graph" data-testid="speed-graph" width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      {points.length > 1 && <polyline points={points.join(' ')} fill="none" stroke="currentColor" strokeWidth="1.5" />}
    </svg>
  );
}
