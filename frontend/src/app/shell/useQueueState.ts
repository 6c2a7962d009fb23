import { useCallback, useEffect, useState } from 'react';
import { invoke, listen, RESYNC_EVENT } from '../../bridge';
import { reportError } from '../../stores';
import type { QueueState } from '../../types/generated/contract';
import { shellApi } from './shellApi';

const api = shellApi(invoke);
export const QUEUE_EVENT = 'queue_state_changed';

/**
 * The queue's switch as the backend holds it: read once, then kept by `queue_state_changed` (sent on every change,
 * whoever made it: this window, Start all / Pause all, the scheduler, another window); re-read after a reconnect.
 */
export function useQueueState(): { queue: QueueState | null; setRunning(running: boolean): Promise<void> } {
  const [queue, setQueue] = useState<QueueState | null>(null);
  useEffect(() => {
    const load = () => api.queueState().then(setQueue, () => setQueue(null));
    load();
    return listen((message) => {
      if (message.event === QUEUE_EVENT) setQueue(message.payload as QueueState);
      else if (message.event === RESYNC_EVENT) load();
    });
  }, []);
  const setRunning = useCallback(async (running: boolean) => {
    try {
      setQueue(await api.setQueueRunning(running));
    } catch (reason) {
      reportError(reason);
    }
  }, []);
  return { queue, setRunning };
}
