import type { VideoTask } from '../../../types/generated/contract';
import type { TaskDetails } from '../api/taskDetails';
import type { RetryInfo } from '../state/taskEvents';

/** What a user pastes into a bug report about one task: the wire task, its details and what only the UI knows. */
export function diagnosticsText(task: VideoTask, retry: RetryInfo | undefined, details: TaskDetails | null = null): string {
  return JSON.stringify(
    { task, details, retrying: retry ?? null, userAgent: navigator.userAgent, copiedAt: new Date().toISOString() },
    null,
    2,
  );
}
