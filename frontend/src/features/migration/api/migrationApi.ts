import type { Invoke } from '../../../lib/invoke';
import type { MigrationOffer, MigrationReport } from '../../../types/generated/contract';

/** The one-time import of the original app's settings and task list. */
export const migrationApi = (invoke: Invoke) => ({
  offer: () => invoke<MigrationOffer>('get_migration_offer'),
  run: (path: string | null) => invoke<MigrationReport>('run_migration', path ? { path } : {}),
});
