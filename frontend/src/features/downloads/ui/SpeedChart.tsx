import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatSpeed } from '../../../lib/format';

interface Props {
  /** Seconds since the epoch, and bytes per second, oldest first. */
  times: number[];
  speeds: (number | null)[];
  label: string;
  /** Shown over the empty axes until there are two samples to draw. */
  empty: string;
  /** The UI's language: the time axis reads as the rest of the window, not as the browser's locale. */
  language: string;
}

const HEIGHT = 140;
/** The y axis shows at least this (64 KiB/s): a chart of near-zero speeds would label its ticks "1 B/s". */
const FLOOR = 64 * 1024;

/** A task's speed over the last minutes (uPlot: canvas, a few kB, cheap to update every batch). */
export function SpeedChart({ times, speeds, label, empty, language }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  // One sample makes no line (and uPlot would stretch the time axis over years): wait for two.
  const data: uPlot.AlignedData = times.length > 1 ? [times, speeds] : [[], []];
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const accent = getComputedStyle(element).getPropertyValue('--accent').trim() || '#2563eb';
    const muted = getComputedStyle(element).getPropertyValue('--muted').trim() || '#667085';
    const clock = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const axis = { stroke: muted, grid: { stroke: 'rgba(128,128,128,0.15)' }, ticks: { show: false } };
    chart.current = new uPlot(
      {
        width: element.clientWidth || 320,
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(FLOOR, max) * 1.1] } },
        axes: [
          { ...axis, space: 90, size: 28, values: (_u, ticks) => ticks.map((v) => clock.format(v * 1000)) },
          { ...axis, space: 28, size: 78, values: (_u, ticks) => ticks.map((v) => (v > 0 ? formatSpeed(v) : '0')) },
        ],
        series: [{}, { stroke: accent, fill: `${accent}22`, width: 1.5, points: { show: false } }],
      },
      latest.current,
      element,
    );
    const resize = new ResizeObserver(() => chart.current?.setSize({ width: element.clientWidth || 320, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, [language]);

  useEffect(() => {
    chart.current?.setData(latest.current);
  }, [times, speeds]);

  return (
    <div className="speed-chart-frame">
      <div className="speed-chart" ref={host} role="img" aria-label={label} data-testid="speed-chart" />
      {times.length < 2 && <p className="speed-chart-empty muted">{empty}</p>}
    </div>
  );
}
