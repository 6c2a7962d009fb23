import type { Invoke } from '../../../lib/invoke';
import type { HealthReport, RuntimeState } from '../../../types/generated/contract';

export function debugApi(invoke: Invoke) {
  return {
    runtimeState: () => invoke<RuntimeState>('download_runtime_state'),
    health: () => invoke<HealthReport>('health'),
    dump: () => invoke<unknown>('debug_runtime_dump'),
  };
}
