import { BridgeError } from './errors';
import type { ErrorCode } from '../types/generated/contract';
import { DISCONNECTED_EVENT, RESYNC_EVENT, type BridgeEvent, type Transport } from './types';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/** Browser served by `vdp serve`: commands are HTTP POSTs, events a WebSocket that reconnects with backoff. */
export class ServerTransport implements Transport {
  readonly kind = 'server' as const;
  private retryMs = FIRST_RETRY_MS;
  private opened = false;

  constructor(
    private readonly token: string | null,
    private readonly origin: string = window.location.origin,
  ) {}

  async invoke(command: string, args: Record<string, unknown>): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.origin}/api/invoke/${encodeURIComponent(command)}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify(args),
      });
    } catch (error) {
      throw new BridgeError('backend_unreachable', `Network error: cannot reach the backend (${String(error)})`);
    }
    const body = await response.text();
    const parsed = parseJson(body);
    if (response.ok) return parsed.ok ? parsed.value : null;
    if (parsed.ok && isErrorBody(parsed.value)) {
      throw new BridgeError(parsed.value.code ?? 'internal', parsed.value.error);
    }
    throw new BridgeError('internal', `HTTP ${response.status}`);
  }

  connect(emit: (batch: BridgeEvent[]) => void): void {
    const wsOrigin = this.origin.replace(/^http/, 'ws');
    const query = this.token ? `?token=${encodeURIComponent(this.token)}` : '';
    const socket = new WebSocket(`${wsOrigin}/api/events${query}`);
    socket.onopen = () => {
      this.retryMs = FIRST_RETRY_MS;
      // Events sent while we were not connected are lost: tell the stores to reload their snapshot.
      emit([{ event: RESYNC_EVENT, payload: { reason: this.opened ? 'reconnected' : 'connected' } }]);
      this.opened = true;
    };
    socket.onmessage = (message) => {
      const parsed = parseJson(typeof message.data === 'string' ? message.data : '');
      if (parsed.ok && Array.isArray(parsed.value)) emit(parsed.value as BridgeEvent[]);
    };
    socket.onclose = () => {
      const delay = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
      emit([{ event: DISCONNECTED_EVENT, payload: { retry_in_ms: delay } }]);
      setTimeout(() => this.connect(emit), delay);
    };
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** `{error, code}`: a failed command (docs/contract.md, "Errors"); `code` is missing only from a foreign server. */
function isErrorBody(value: unknown): value is { error: string; code?: ErrorCode } {
  return typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string';
}
