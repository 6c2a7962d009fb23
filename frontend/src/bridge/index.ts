/**
 * The one way the UI talks to the backend: `invoke` a command, `listen`/`onEvent` for pushed events.
 * The transport (pywebview window or `vdp serve` over HTTP + WebSocket) is chosen at run time.
 */
import { EventDispatcher } from './dispatcher';
import { toBridgeError } from './errors';
import { PywebviewTransport, pywebviewApi, whenPywebviewReady } from './pywebview';
import { ServerTransport } from './server';
import { takeToken } from './token';
import type { CommandArgs, CommandName, CommandResult } from '../types/generated/contract';
import { DISCONNECTED_EVENT, RESYNC_EVENT, type BridgeEvent, type Connection, type Transport, type TransportKind, type VdpEventMap } from './types';

export { BridgeError, errorText, hasErrorCode } from './errors';
export { DISCONNECTED_EVENT, RESYNC_EVENT } from './types';
export type { BridgeEvent, Connection, TransportKind, VdpEventMap } from './types';

/** How long a page without a token waits for pywebview to inject its API before assuming server mode. */
const PYWEBVIEW_GRACE_MS = 3000;

const dispatcher = new EventDispatcher();
let transport: Promise<Transport> | null = null;
let currentKind: TransportKind | 'pending' = 'pending';
let connection: Connection = 'connecting';
const connectionWatchers = new Set<() => void>();

/** Kept here, not in a subscriber: the stream may open before the first subscriber (React effects) exists. */
function setConnection(next: Connection): void {
  if (next === connection) return;
  connection = next;
  for (const watcher of [...connectionWatchers]) watcher();
}

function trackConnection(batch: readonly BridgeEvent[]): void {
  for (const message of batch) {
    if (message.event === RESYNC_EVENT) setConnection('open');
    else if (message.event === DISCONNECTED_EVENT) setConnection('closed');
  }
}

function chooseTransport(): Promise<Transport> {
  const api = pywebviewApi();
  if (api) return Promise.resolve(new PywebviewTransport(api));
  const token = takeToken();
  if (token) return Promise.resolve(new ServerTransport(token));
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), PYWEBVIEW_GRACE_MS));
  return Promise.race([whenPywebviewReady(), timeout]).then((ready) =>
    ready ? new PywebviewTransport(ready) : new ServerTransport(null),
  );
}

function getTransport(): Promise<Transport> {
  if (!transport) {
    transport = chooseTransport().then((chosen) => {
      currentKind = chosen.kind;
      // The desktop window's events are pushed in-process: there is no stream that could drop.
      if (chosen.kind === 'desktop') setConnection('open');
      chosen.connect((batch) => {
        trackConnection(batch);
        dispatcher.dispatch(batch);
      });
      return chosen;
    });
  }
  return transport;
}

/**
 * Calls a backend command. Rejects with a `BridgeError` (`.code`, `.message`), whatever the transport.
 * Typed by command from the generated `CommandMap`: `invoke('pause_download', { taskId })` checks the arguments and
 * types the result (`invoke<'pause_download'>(…)` names it explicitly). The untyped form stays for callers that
 * pass their own result type.
 */
export function invoke<K extends CommandName>(command: K, args?: CommandArgs<K>): Promise<CommandResult<K>>;
export function invoke<T = unknown>(command: string, args?: object): Promise<T>;
export async function invoke(command: string, args?: object): Promise<unknown> {
  const chosen = await getTransport();
  try {
    return await chosen.invoke(command, { ...(args ?? {}) });
  } catch (reason) {
    throw toBridgeError(reason);
  }
}

/** Every event, in arrival order. Returns the unsubscribe function. */
export function listen(handler: (event: BridgeEvent) => void): () => void {
  void getTransport();
  return dispatcher.subscribe(handler);
}

/** One event by name, with its typed payload. Returns the unsubscribe function. */
export function onEvent<K extends keyof VdpEventMap>(name: K, callback: (payload: VdpEventMap[K]) => void): () => void {
  return listen((message) => {
    if (message.event === name) callback(message.payload as VdpEventMap[K]);
  });
}

export function bridgeKind(): TransportKind | 'pending' {
  return currentKind;
}

/** Whether pushed events are flowing; with `watchConnection` it fits React's useSyncExternalStore. */
export function connectionState(): Connection {
  return connection;
}

export function watchConnection(onChange: () => void): () => void {
  connectionWatchers.add(onChange);
  return () => connectionWatchers.delete(onChange);
}

/** Starts the transport early (so events flow before the first command) and exposes the debug hook. */
export function startBridge(): void {
  window.__vdp_emit = (batch) => dispatcher.dispatch(Array.isArray(batch) ? batch : [batch]);
  window.__vdp_bridge = {
    invoke,
    get kind() {
      return currentKind;
    },
  };
  void getTransport();
}

declare global {
  interface Window {
    __vdp_bridge?: { invoke: typeof invoke; readonly kind: TransportKind | 'pending' };
  }
}
