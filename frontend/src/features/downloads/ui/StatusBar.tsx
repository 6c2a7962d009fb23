import { useT } from '../../../app/i18n';
import { useSyncExternalStore } from 'react';
import { bridgeKind, connectionState, watchConnection } from '../../../bridge';
import { formatBytes, formatSpeed } from '../../../lib/format';
import { useDownloads } from '../../../stores';
import type { FilterCounts } from '../state/visibleTasks';
import { SpeedGraph } from './SpeedGraph';

/** Totals from `download_metrics`; until the first one arrives (or under v1, which sends none) counted locally. */
export function StatusBar({ counts }: { counts: FilterCounts }) {
  const t = useT();
  const metrics = useDownloads((state) => state.metrics);
  const history = useDownloads((state) => state.speedHistory);
  const runtime = useDownloads((state) => state.runtime);
  const tasks = useDownloads((state) => state.tasks);
  const connection = useSyncExternalStore(watchConnection, connectionState);
  const transport = bridgeKind();
  const localSpeed = metrics ? 0 : Object.values(tasks).reduce((sum, task) => sum + (task.status === 'Downloading' ? task.speed : 0), 0);

  const items: [string, string, string][] = [
    ['speed', t('status.speed'), formatSpeed(metrics ? metrics.total_speed : localSpeed)],
    ['active', t('status.active'), String(metrics?.active ?? counts.active)],
    ['queued', t('status.queuedCount'), String(metrics?.queued ?? counts.pending)],
    ['paused', t('status.pausedCount'), String(metrics?.paused ?? counts.paused)],
    ['completed', t('status.completedCount'), String(metrics?.completed ?? counts.completed)],
    ['failed', t('status.failedCount'), String(metrics?.failed ?? counts.failed)],
    ['downloaded', t('status.downloaded'), formatBytes(metrics?.downloaded_bytes ?? null)],
    ['runtime', t('status.runtime'), `${runtime} · ${transport}`],
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
