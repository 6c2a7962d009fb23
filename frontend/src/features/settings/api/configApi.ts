import type { Invoke } from '../../../lib/invoke';
import type { AppConfig } from '../../../types/generated/contract';

export function configApi(invoke: Invoke) {
  return {
    get: () => invoke<AppConfig>('get_config'),
    update: (newConfig: AppConfig) => invoke<null>('update_config', { newConfig }),
    reset: () => invoke<AppConfig>('reset_config'),
  };
}
