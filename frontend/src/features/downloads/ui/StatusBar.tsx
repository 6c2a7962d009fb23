import { useT } from '../../../app/i18n';
import { useSyncExternalStore } from 'react';
import { bridgeKind, connectionState, watchConnection } from '../../../bridge';
import { formatBytes, formatSpeed } from '../../../lib/format';
import { useDownloads } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import type { FilterCounts } from '../state/visibleTasks';
import { SpeedGraph } from './SpeedGraph';

function sumTasks(tasks: Record<string, VideoTask>, figure: (task: VideoTask) => number): number {
  let sum = 0;
  for (const task of Object.values(tasks)) sum += figure(task);
  return sum;
}

/**
 * Totals from `download_metrics`; until the first one arrives (or under v1, which sends none) counted locally.
 * Which runtime and transport run is a developer's question: the debug panel (Ctrl+Shift+D) shows it, not this bar.
 */
export function StatusBar({ counts }: { counts: FilterCounts }) {
  const t = useT();
  const metrics = useDownloads((state) => state.metrics);
  const history = useDownloads((state) => state.speedHistory);
  // Selected as numbers (0 once metrics arrive): the bar does not re-render for a progress batch that moved nothing it shows.
  const localSpeed = useDownloads((state) => (state.metrics ? 0 : sumTasks(state.tasks, (task) => (task.status === 'Downloading' ? task.speed : 0))));
  const localBytes = useDownloads((state) => (state.metrics ? 0 : sumTasks(state.tasks, (task) => task.downloaded_size)));
  const connection = useSyncExternalStore(watchConnection, connectionState);
  const transport = bridgeKind();

  const items: [string, string, string][] = [
    ['speed', t('status.speed'), formatSpeed(metrics ? metrics.total_speed : localSpeed)],
    ['active', t('status.active'), String(metrics?.active ?? counts.active)],
    ['pending', t('filter.pending'), String(metrics?.pending ?? counts.pending)],
    ['paused', t('status.pausedCount'), String(metrics?.paused ?? counts.paused)],
    ['completed', t('status.completedCount'), String(metrics?.completed ?? counts.completed)],
    ['failed', t('status.failedCount'), String(metrics?.failed ?? counts.failed)],
    ['downloaded', t('status.downloaded'), formatBytes(metrics ? metrics.downloaded_bytes : localBytes)],
  ];
  return (
    <footer className="status-bar" data-testid="status-bar" data-connection={connection}>
      {transport === 'server' && (
        <span className={`connection connection-${connection}`} data-testid="status-connection" role="status">
          {t(`connection.${connection}`)}
        </span>
      )}
      <SpeedGraph samples={history} />
      {items.map(([id, label, value]) => (
        <span key={id} className="status-item">
          {label}: <b data-testid={`status-${id}`}>{value}</b>
        </span>
      ))}
    </footer>
  );
}
