import { useSyncExternalStore } from 'react';
import { bridgeKind, watchConnection, type TransportKind } from '../../bridge';

/**
 * Which host the page runs in: 'desktop' (the window, with native dialogs and the clipboard), 'server' (a browser)
 * or 'pending' before the bridge chose. The kind is fixed before the connection first changes, so watching the
 * connection is enough to see it settle.
 */
export function useBridgeKind(): TransportKind | 'pending' {
  return useSyncExternalStore(watchConnection, bridgeKind);
}

/** Controls that need the desktop window (clipboard, Browse, open or show a file) render only when this is true. */
export function useIsDesktop(): boolean {
  return useBridgeKind() === 'desktop';
}
