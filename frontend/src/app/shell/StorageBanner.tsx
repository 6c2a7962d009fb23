import { AlertTriangle } from 'lucide-react';
import { useEffect, useState } from 'react';
import { invoke, listen, RESYNC_EVENT } from '../../bridge';
import { useT } from '../i18n';
import type { StorageStatus } from '../../types/generated/contract';
import { shellApi } from './shellApi';

const api = shellApi(invoke);
/** runtime_warning codes after which the storage state is read again. */
const STORAGE_WARNINGS = new Set(['database_recovered', 'database_unwritable', 'database_vanished']);

/**
 * The task list's database in trouble: moved aside at start (recovered), no longer writable, or gone. Says where it
 * is and what to do; red while nothing can be saved.
 */
export function StorageBanner() {
  const t = useT();
  const [storage, setStorage] = useState<StorageStatus | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  useEffect(() => {
    const load = () => api.appInfo().then((info) => setStorage(info.storage), () => undefined);
    load();
    return listen((message) => {
      const code = (message.payload as { code?: unknown } | null)?.code;
      if (message.event === RESYNC_EVENT || (message.event === 'runtime_warning' && STORAGE_WARNINGS.has(String(code)))) load();
    });
  }, []);
  // Trouble that is over (a list set aside and replaced) may be dismissed; trouble that goes on may not.
  if (!storage || storage.state === 'ok' || dismissed === storage.state) return null;
  return (
    <section
      aria-label={t(`storage.${storage.state}.title`)}
      className={`storage-banner ${storage.ok ? 'is-warning' : 'is-error'}`}
      role={storage.ok ? 'status' : 'alert'}
      data-testid="storage-banner"
      data-state={storage.state}
    >
      <AlertTriangle size={16} aria-hidden />
      <div>
        <strong>{t(`storage.${storage.state}.title`)}</strong>
        <p>{t(`storage.${storage.state}.todo`, { path: storage.path, aside: storage.moved_aside_to ?? '—' })}</p>
        {storage.message && <small className="storage-detail">{storage.message}</small>}
      </div>
      {storage.ok && (
        <button type="button" data-testid="storage-dismiss" onClick={() => setDismissed(storage.state)}>
          {t('session.dismiss')}
        </button>
      )}
    </section>
  );
}
