import { useEffect, useState } from 'react';
import { useT } from '../../../app/i18n';
import { invoke } from '../../../bridge';
import { downloadStore, reportError, uiStore } from '../../../stores';
import type { MigrationOffer } from '../../../types/generated/contract';
import { migrationApi } from '../api/migrationApi';

const api = migrationApi(invoke);

/** At first start, when the original app's data is found: take it over with one click, or dismiss. */
export function MigrationBanner() {
  const t = useT();
  const [offer, setOffer] = useState<MigrationOffer | null>(null);
  useEffect(() => {
    api.offer().then(setOffer, () => setOffer(null));
  }, []);
  if (!offer?.found) return null;
  const migrate = async () => {
    try {
      const report = await api.run(offer.path);
      uiStore.getState().toast('info', t('migration.done', { tasks: report.tasks_added, notes: report.notes.length }));
      await downloadStore.getState().refreshTasks();
    } catch (error) {
      reportError(error); // translated by its code, the backend's text as the detail
    }
    setOffer(null);
  };
  return (
    <section className="session-banner" data-testid="migration-banner" role="status">
      <strong>{t('migration.title')}</strong>
      <span>{t('migration.message', { tasks: offer.tasks, path: offer.path ?? '' })}</span>
      <button type="button" data-testid="migration-run" onClick={migrate}>{t('migration.run')}</button>
      <button type="button" data-testid="migration-dismiss" onClick={() => setOffer(null)}>{t('session.dismiss')}</button>
    </section>
  );
}
