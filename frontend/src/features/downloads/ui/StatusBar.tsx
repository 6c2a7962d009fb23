import { useT } from '../../../app/i18n';
import { useSyncExternalStore } from 'react';
import { bridgeKind, connectionState, watchConnection } from '../../../bridge';
import { formatBytes, formatSpeed } from '../../../lib/format';
import { useDownloads } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import { SpeedGraph } from './SpeedGraph';

function sumTasks(tasks: Record<string, VideoTask>, figure: (task: VideoTask) => number): number {
  let sum = 0;
  for (const task of Object.values(tasks)) sum += figure(task);
  return sum;
}

/**
 * What the filter tabs above the list do not say: whether events flow, the total speed and its recent trend, the
 * bytes downloaded. Totals come from `download_metrics`; until the first one arrives (or under v1, which sends
 * none) they are counted locally. The tasks per status are the tabs' job, so they are not repeated here.
 * Which runtime and transport run is a developer's question: the debug panel (Ctrl+Shift+D) shows it, not this bar.
 */
export function StatusBar() {
  const t = useT();
  const metrics = useDownloads((state) => state.metrics);
  const history = useDownloads((state) => state.speedHistory);
  // Selected as numbers (0 once metrics arrive): the bar does not re-render for a progress batch that moved nothing it shows.
  const localSpeed = useDownloads((state) => (state.metrics ? 0 : sumTasks(state.tasks, (task) => (task.status === 'Downloading' ? task.speed : 0))));
  const localBytes = useDownloads((state) => (state.metrics ? 0 : sumTasks(state.tasks, (task) => task.downloaded_size)));
  const connection = useSyncExternalStore(watchConnection, connectionState);
  const transport = bridgeKind();

  return (
    <footer className="status-bar" data-testid="status-bar" data-connection={connection}>
      {transport === 'server' && (
        <span className={`connection connection-${connection}`} data-testid="status-connection" role="status">
          {t(`connection.${connection}`)}
        </span>
      )}
      <span className="status-item">
        {t('status.speed')}: <b data-testid="status-speed">{formatSpeed(metrics ? metrics.total_speed : localSpeed)}</b>
      </span>
      {/* After the figure it charts, so it reads as the speed's trend, not as a line under "Live". */}
      <SpeedGraph samples={history} describe={(peak) => t('status.speedGraph', { peak: formatSpeed(peak) })} />
      <span className="status-item">
        {t('status.downloaded')}: <b data-testid="status-downloaded">{formatBytes(metrics ? metrics.downloaded_bytes : localBytes)}</b>
      </span>
    </footer>
  );
}
