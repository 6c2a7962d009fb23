import type { VideoTask } from '../../../types/generated/contract';
import type { RetryInfo } from '../state/taskEvents';

/** What a user pastes into a bug report about one task: the whole wire task plus what only the UI knows. */
export function diagnosticsText(task: VideoTask, retry: RetryInfo | undefined): string {
  return JSON.stringify(
    { task, retrying: retry ?? null, userAgent: navigator.userAgent, copiedAt: new Date().toISOString() },
    null,
    2,
  );
}
