import type { BridgeEvent, Transport } from './types';

interface PywebviewApi {
  invoke(command: string, args: Record<string, unknown>): Promise<unknown>;
}

declare global {
  interface Window {
    pywebview?: { api?: Partial<PywebviewApi> };
    __vdp_emit?: (batch: BridgeEvent[]) => void;
  }
}

export function pywebviewApi(): PywebviewApi | null {
  const api = window.pywebview?.api;
  return api && typeof api.invoke === 'function' ? (api as PywebviewApi) : null;
}

/** Resolves once pywebview has injected its API (it may come only after the `pywebviewready` event). */
export function whenPywebviewReady(): Promise<PywebviewApi> {
  const ready = pywebviewApi();
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve) => {
    const check = () => {
      const api = pywebviewApi();
      if (api) {
        window.removeEventListener('pywebviewready', check);
        resolve(api);
      }
    };
    window.addEventListener('pywebviewready', check);
  });
}

/** Desktop window: calls go through `window.pywebview.api.invoke`; the backend pushes batches into `__vdp_emit`. */
export class PywebviewTransport implements Transport {
  readonly kind = 'desktop' as const;

  constructor(private readonly api: PywebviewApi) {}

  invoke(command: string, args: Record<string, unknown>): Promise<unknown> {
    return this.api.invoke(command, args);
  }

  connect(): void {
    // Batches already arrive through the global `__vdp_emit`, installed before any transport is chosen.
  }
}
