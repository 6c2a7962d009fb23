import { Pause, Play } from 'lucide-react';
import { useT } from '../i18n';
import { useQueueState } from './useQueueState';

/** "Queue running / paused", always in sight, with what it means for tasks that wait or arrive later. */
export function QueueToggle() {
  const t = useT();
  const { queue, setRunning } = useQueueState();
  if (!queue) return null;
  const running = queue.running;
  const next = queue.next_change_at
    ? t(queue.next_change_running ? 'queue.scheduledStart' : 'queue.scheduledPause', { time: clock(queue.next_change_at) })
    : null;
  return (
    <div className={`queue-toggle ${running ? 'is-running' : 'is-paused'}`} data-testid="queue-toggle" data-running={String(running)}>
      <button
        type="button"
        role="switch"
        aria-checked={running}
        data-testid="queue-switch"
        className={running ? 'primary' : ''}
        onClick={() => void setRunning(!running)}
      >
        {running ? <Pause size={14} aria-hidden /> : <Play size={14} aria-hidden />}
        {running ? t('queue.pause') : t('queue.start')}
      </button>
      <span className="queue-state" data-testid="queue-explanation" title={running ? t('queue.runningHint') : t('queue.pausedHint')}>
        <b>{running ? t('queue.running') : t('queue.paused')}</b>
        <span className="queue-hint">{running ? t('queue.runningHint') : t('queue.pausedHint')}</span>
        {next && <span className="queue-next"> · {next}</span>}
      </span>
    </div>
  );
}

/** The local wall-clock time of a UTC timestamp, as HH:MM. */
function clock(at: string): string {
  const when = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(at) ? at : `${at}Z`);
  return Number.isNaN(when.getTime()) ? at : when.toTimeString().slice(0, 5);
}
