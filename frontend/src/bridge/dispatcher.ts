import type { BridgeEvent } from './types';

type Handler = (event: BridgeEvent) => void;

/** Fans event batches out to subscribers; one throwing subscriber never stops the others. */
export class EventDispatcher {
  private readonly handlers = new Set<Handler>();

  subscribe(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  dispatch(batch: readonly BridgeEvent[]): void {
    for (const message of batch) {
      if (!message || typeof message.event !== 'string') continue;
      for (const handler of [...this.handlers]) {
        try {
          handler(message);
        } catch (error) {
          console.error(`event handler failed for ${message.event}`, error);
        }
      }
    }
  }
}
