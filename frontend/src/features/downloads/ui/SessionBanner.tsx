import { useT } from '../../../app/i18n';
import { downloadStore, useDownloads } from '../../../stores';

/**
 * After a restart with unfinished work: what was found, and one click to continue, retry the failures or clear the
 * finished. A list that is only finished and failed tasks says so itself (its filters count them): no banner then,
 * or it would greet every start.
 */
export function SessionBanner() {
  const t = useT();
  const session = useDownloads((state) => state.session);
  if (!session || !session.total || (!session.continuable && !session.waiting)) {
    return null;
  }
  const store = downloadStore.getState;
  const then = (action: () => Promise<void>) => async () => {
    await action();
    store().dismissSession();
  };
  return (
    <section className="session-banner" data-testid="session-banner" role="status">
      <strong>{t('session.title')}</strong>
      <span data-testid="session-message">{t('session.message', {
          continuable: session.continuable,
          waiting: session.waiting,
          failed: session.failed,
          completed: session.completed,
          total: session.total,
        })}</span>
      <button type="button" data-testid="session-continue" onClick={then(() => store().startAllDownloads())}>
        {t('session.continue')}
      </button>
      {session.failed > 0 && (
        <button type="button" data-testid="session-retry-failed" onClick={then(() => store().retryFailedTasks())}>
          {t('session.retryFailed')}
        </button>
      )}
      {session.completed > 0 && (
        <button type="button" data-testid="session-clear-completed" onClick={then(() => store().clearCompletedTasks())}>
          {t('session.clearCompleted')}
        </button>
      )}
      <button type="button" data-testid="session-dismiss" onClick={() => store().dismissSession()}>
        {t('session.dismiss')}
      </button>
    </section>
  );
}
