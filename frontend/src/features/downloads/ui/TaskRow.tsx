import { memo } from 'react';
import { useT } from '../../../app/i18n';
import { formatEta, formatPercent, formatProgressBytes, formatSpeed, formatBytes } from '../../../lib/format';
import { downloadStore, uiStore } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import type { RetryInfo } from '../state/taskEvents';
import { canCancel, canPause, canResume, canRetry, canStart } from '../state/taskStatus';
import { diagnosticsText } from './diagnostics';

interface Props {
  task: VideoTask;
  selected: boolean;
  retry: RetryInfo | undefined;
  /** Ctrl/Cmd or a plain click toggles the row; Shift extends the selection from the last toggled row. */
  onSelect(id: string, extend: boolean): void;
}

/** One task: its numbers, its status badge and the actions that fit its status. */
export const TaskRow = memo(function TaskRow({ task, selected, retry, onSelect }: Props) {
  const t = useT();
  const store = downloadStore.getState;
  const ask = uiStore.getState().ask;
  const completed = task.status === 'Completed';

  const cancel = async () => {
    if ((await ask({ title: t('confirm.cancel.title'), message: t('confirm.cancel.message') })).confirmed) {
      await store().cancelDownload(task.id);
    }
  };
  const remove = async (deleteFile: boolean) => {
    const answer = await ask({
      title: t('confirm.remove.title', { count: 1 }),
      message: deleteFile ? `${task.title} — ${t('confirm.remove.deleteFiles')}` : task.title,
      option: deleteFile ? undefined : t('confirm.remove.deleteFiles'),
    });
    if (answer.confirmed) await store().removeTasks([task.id], deleteFile || answer.option);
  };
  const copyDiagnostics = async () => {
    try {
      await navigator.clipboard.writeText(diagnosticsText(task, retry));
      uiStore.getState().toast('success', t('action.copied'));
    } catch (reason) {
      uiStore.getState().toast('error', String(reason));
    }
  };

  const action = (id: string, label: string, onClick: () => void, enabled = true) => (
    <button type="button" data-testid={`row-${id}`} disabled={!enabled} onClick={onClick} title={label}>
      {label}
    </button>
  );

  return (
    <div
      className={`task-row status-${task.status.toLowerCase()}${selected ? ' selected' : ''}`}
      data-testid="task-row"
      data-task-id={task.id}
      data-status={task.status}
      data-progress={task.progress}
    >
      <input
        type="checkbox"
        data-testid="row-select"
        checked={selected}
        onClick={(event) => onSelect(task.id, event.shiftKey)}
        onChange={() => undefined}
        aria-label={task.title}
      />
      <div className="task-main">
        <div className="task-title" title={task.title} data-testid="row-title">
          {task.title}
        </div>
        <div className="task-url" title={task.url}>
          {task.url}
        </div>
        <div className="task-bar" aria-hidden>
          <div style={{ width: `${completed ? 100 : Math.min(task.progress, 99.9)}%` }} />
        </div>
        {task.error_message && (
          <div className="task-error" data-testid="row-error" title={task.error_message}>
            {task.error_message}
          </div>
        )}
      </div>
      <div className="task-meta">
        <span className="task-badges">
          <span className={`badge badge-${task.status.toLowerCase()}`} data-testid="row-status">
            {t(`status.${task.status}`)}
            {task.status === 'Pending' && task.queued ? ` · ${t('status.queued')}` : ''}
          </span>
          {retry && (
            <span className="badge badge-retrying" data-testid="row-retrying">
              {t('task.retrying', { attempt: retry.attempt, max: retry.maxAttempts })}
            </span>
          )}
        </span>
        <span className="engine" title={task.routing_reason ?? undefined}>{task.downloader_type ?? '—'}</span>
        <span data-testid="row-percent">{formatPercent(task.progress, completed)}</span>
        <span data-testid="row-bytes">{formatProgressBytes(task.downloaded_size, task.file_size)}</span>
        <span className="size">{formatBytes(task.file_size)}</span>
        <span data-testid="row-speed">{formatSpeed(task.speed)}</span>
        <span data-testid="row-eta">{t('task.eta', { eta: formatEta(task.eta) })}</span>
      </div>
      <div className="task-actions">
        {canStart(task.status) && action('start', t('action.start'), () => store().startDownload(task.id))}
        {canPause(task.status) && action('pause', t('action.pause'), () => store().pauseDownload(task.id))}
        {canResume(task.status) && action('resume', t('action.resume'), () => store().resumeDownload(task.id))}
        {canRetry(task.status) && action('retry', t('action.retry'), () => store().retryTask(task.id))}
        {canCancel(task.status) && action('cancel', t('action.cancel'), cancel)}
        {completed && task.file_path && action('open-file', t('action.openFile'), () => store().openFile(task.file_path!))}
        {action('open', t('action.open'), () => store().revealPath(task.output_path))}
        {action('reveal', t('action.reveal'), () => task.file_path && store().revealPath(task.file_path), !!task.file_path)}
        {action('copy-diagnostics', t('action.copyDiagnostics'), copyDiagnostics)}
        {action('remove', t('action.remove'), () => remove(false))}
        {action('remove-with-file', t('action.removeWithFile'), () => remove(true))}
      </div>
    </div>
  );
});
