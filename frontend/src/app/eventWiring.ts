import { listen, RESYNC_EVENT, type BridgeEvent } from '../bridge';
import { downloadStore } from '../stores';

/**
 * Feeds pushed events to the stores. Events of one pushed batch arrive synchronously, so collecting them until the
 * next microtask turns one batch into one store update, whatever its length.
 */
export function wireEvents(): () => void {
  let pending: BridgeEvent[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    downloadStore.getState().applyEvents(batch);
  };
  return listen((message) => {
    if (message.event === RESYNC_EVENT) {
      void downloadStore.getState().refreshTasks();
      return;
    }
    if (pending.length === 0) queueMicrotask(flush);
    pending.push(message);
  });
}
