import { Copy, X } from 'lucide-react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useT } from '../../../app/i18n';
import { localizeTaskError } from '../../../i18n/errors';
import { formatBytes } from '../../../lib/format';
import { describeError, downloadStore, reportError, uiStore, useConfig, useDownloads } from '../../../stores';
import { invoke } from '../../../bridge';
import { downloadsApi } from '../api/downloadsApi';
import type { TaskHistoryEntry } from '../api/taskDetails';
import { isMessageKey, resolveLanguage, type MessageKey, type Translate } from '../../../i18n';
import type { TaskStatus } from '../../../types/generated/contract';
import { causeText, routingText } from '../state/backendText';
import { courseOf } from '../state/courses';
import { bytesPerSecondFromMbit, mbitFromBytesPerSecond, rateLimitFromField } from '../../settings/rateLimit';
import { speedSeries } from '../state/speedSeries';
import { engineName } from '../state/engineNames';
import { useTaskDetails } from '../state/useTaskDetails';
import { diagnosticsText } from './diagnostics';
import { IconButton } from './IconButton';
import { PieceMap } from './PieceMap';
import { SpeedChart } from './SpeedChart';
import { copyText } from './taskActions';


const Field = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <>
    <dt>{label}</dt>
    <dd data-testid={testId}>{children ?? '—'}</dd>
  </>
);

/** A timestamp in the UI's language (not the browser's), as "2026/12/6 23:34:50" or "12/6/2026, 11:34:50 PM". */
const timeIn = (language: string) => (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(language);
};

/** One audit row: a status change as "Paused → Downloading", other kinds (added, removed) by their name. */
function historyText(entry: TaskHistoryEntry, t: Translate): string {
  const name = (status: TaskStatus) => t(`status.${status}`);
  if (!entry.to_status) return entry.kind === 'added' || entry.kind === 'removed' ? t(`list.details.kind.${entry.kind}`) : entry.kind;
  return entry.from_status ? `${name(entry.from_status)} → ${name(entry.to_status)}` : name(entry.to_status);
}

/** Everything about the focused task: where it goes, how it is fetched, what is on disk, what went wrong. */
export function DetailsPane() {
  const t = useT();
  const language = useConfig((state) => resolveLanguage(state.config?.ui?.language));
  const time = timeIn(language);
  const id = useDownloads((state) => state.focused ?? Object.keys(state.selected)[0] ?? null);
  const task = useDownloads((state) => (id ? state.tasks[id] : undefined));
  const retry = useDownloads((state) => (id ? state.retrying[id] : undefined));
  const { details, error } = useTaskDetails(task);
  const samples = useMemo(() => speedSeries(details?.speed_samples), [details]);
  const [limit, setLimit] = useState('');
  const taskId = task?.id;
  useEffect(() => {
    // The field starts at the task's own limit, in the unit of the global setting (Mbit/s), empty when it has none.
    setLimit('');
    if (!taskId) return;
    let current = true;
    downloadsApi(invoke)
      .taskRateLimit(taskId)
      .then((bytes) => current && setLimit(bytes ? String(mbitFromBytesPerSecond(bytes)) : ''), () => undefined);
    return () => {
      current = false;
    };
  }, [taskId]);
  const close = () => downloadStore.getState().setDetailsOpen(false);

  if (!task) {
    return (
      <aside className="details-pane" data-testid="details-pane" aria-label={t('list.details.title')}>
        <header><h2>{t('list.details.title')}</h2><IconButton icon={X} label={t('list.close')} onClick={close} /></header>
        <p className="muted">{t('list.details.none')}</p>
      </aside>
    );
  }

  const course = courseOf(task);
  const routing = details?.routing_reason ?? task.routing_reason;
  // Until the engine names the file, where it will go is a folder.
  const filePath = details?.file_path ?? task.file_path;
  const applyLimit = async () => {
    const mbit = rateLimitFromField(limit);
    if (mbit !== null && Number.isNaN(mbit)) {
      uiStore.getState().toast('error', t('list.details.limitInvalid'));
      return;
    }
    try {
      await downloadsApi(invoke).setTaskRateLimit(task.id, bytesPerSecondFromMbit(mbit));
      uiStore.getState().toast('success', t('list.details.limitSet'));
    } catch (reason) {
      reportError(reason);
    }
  };

  return (
    <aside className="details-pane" data-testid="details-pane" data-task-id={task.id} aria-label={t('list.details.title')}>
      <header>
        <h2 title={task.title}>{task.title}</h2>
        <IconButton icon={Copy} label={t('list.details.copyDiagnostics')} data-testid="copy-diagnostics"
                    onClick={() => copyText(diagnosticsText(task, retry, details), t)} />
        <IconButton icon={X} label={t('list.close')} data-testid="details-close" onClick={close} />
      </header>
      {error !== null && <p className="details-error" role="alert">{describeError(error).message}</p>}
      <dl className="details-fields">
        <Field label={t('list.details.url')} testId="details-url">
          <span className="mono break">{task.url}</span>
          <IconButton icon={Copy} label={t('list.details.copyUrl')} onClick={() => copyText(task.url, t)} />
        </Field>
        <Field label={filePath ? t('list.details.file') : t('list.details.folder')} testId="details-file">
          <span className="mono break">{filePath ?? details?.output_folder ?? task.output_path}</span>
        </Field>
        <Field label={t('list.col.course')}>{course.title || '—'}</Field>
        <Field label={t('list.details.engine')} testId="details-engine">
          {engineName(details?.engine ?? task.downloader_type)}
          {routing && <span className="muted"> — {routingText(routing, t)}</span>}
        </Field>
        <Field label={t('list.details.transfer')} testId="details-transfer">
          {!details
            ? '—'
            : details.segments
              ? t('list.details.partsInFlight', { count: details.connections })
              : t('list.details.connections', { count: details.connections })}
        </Field>
        <Field label={t('list.details.bytes')}>
          {formatBytes(task.downloaded_size)} / {formatBytes(task.file_size)}
        </Field>
        <Field label={t('list.details.retries')} testId="details-retries">
          {details?.retries_used ?? task.retry_count} / {details?.retry_budget ?? task.max_retries}
        </Field>
      </dl>

      <h3>{t('list.details.onDisk')}</h3>
      <PieceMap pieces={details?.pieces} segments={details?.segments} />

      <h3>{t('list.details.speed')}</h3>
      <SpeedChart times={samples.times} speeds={samples.speeds} label={t('list.details.speedGraph', { name: task.title })}
                  empty={t('list.details.noSpeed')} language={language} />

      <h3>{t('list.details.limit')}</h3>
      <div className="row">
        <input type="number" min={0} step="0.1" inputMode="decimal" data-testid="task-rate-limit" value={limit}
               placeholder={t('list.details.limitNone')} aria-label={t('list.details.limitLabel', { name: task.title })}
               onChange={(event) => setLimit(event.target.value)} />
        <button type="button" data-testid="task-rate-limit-apply" onClick={applyLimit}>{t('list.details.limitApply')}</button>
      </div>

      <h3>{t('list.details.errors')}</h3>
      {details?.errors?.length ? (
        <ul className="details-list" data-testid="details-errors">
          {details.errors.map((entry, index) => (
            <li key={index} title={entry.message}>
              <time>{time(entry.at)}</time> {isMessageKey(`error.${entry.code}`) ? t(`error.${entry.code}` as MessageKey) : entry.message}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted" title={task.error_message ?? undefined}>
          {localizeTaskError(t, task)?.message ?? t('list.details.noErrors')}
        </p>
      )}

      <h3>{t('list.details.history')}</h3>
      {details?.history?.length ? (
        <ol className="details-list" data-testid="details-history">
          {details.history.map((entry, index) => (
            <li key={index}>
              <time>{time(entry.at)}</time> {historyText(entry, t)}
              {entry.cause && <span className="muted" title={entry.cause}> ({causeText(entry.cause, t)})</span>}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">—</p>
      )}
    </aside>
  );
}
