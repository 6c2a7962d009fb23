import type {
  DebugTestEvent,
  DownloadMetricsEvent,
  DownloadProgressEvent,
  DownloadStats,
  RuntimeWarningEvent,
  TaskAddedEvent,
  TaskUpdatedEvent,
  TaskRemovedEvent,
  TaskStatusChangedEvent,
} from '../types/generated/contract';

/** One element of a pushed batch, as both transports deliver it. */
export interface BridgeEvent<P = unknown> {
  event: string;
  payload: P;
}

/** Synthetic event the bridge emits after its event stream (re)connects: events may have been missed. */
export const RESYNC_EVENT = 'bridge_resync';

/** Synthetic event the bridge emits when its event stream drops; it reconnects by itself (then RESYNC_EVENT). */
export const DISCONNECTED_EVENT = 'bridge_disconnected';

/** Payload type of each event the backend emits (docs/contract.md, "Events"). */
export interface VdpEventMap {
  download_progress: DownloadProgressEvent;
  download_metrics: DownloadMetricsEvent;
  task_status_changed: TaskStatusChangedEvent;
  runtime_warning: RuntimeWarningEvent;
  task_added: TaskAddedEvent;
  task_updated: TaskUpdatedEvent;
  task_removed: TaskRemovedEvent;
  download_stats: DownloadStats;
  debug_test_event: DebugTestEvent;
  download_manager_ready: boolean;
  download_manager_error: string;
  app_ready: boolean;
  [RESYNC_EVENT]: { reason: 'connected' | 'reconnected' };
  [DISCONNECTED_EVENT]: { retry_in_ms: number };
}

export type TransportKind = 'desktop' | 'server';

/** The event stream: pushed updates only arrive while it is open. */
export type Connection = 'connecting' | 'open' | 'closed';

/** A way to reach the backend: one per host (pywebview window, browser served by `vdp serve`). */
export interface Transport {
  readonly kind: TransportKind;
  invoke(command: string, args: Record<string, unknown>): Promise<unknown>;
  /** Starts delivering event batches to `emit`. Called once. */
  connect(emit: (batch: BridgeEvent[]) => void): void;
}
