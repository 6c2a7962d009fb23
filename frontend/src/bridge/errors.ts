import type { ErrorCode } from '../types/generated/contract';

/**
 * The one error `invoke` rejects with, whatever the transport: the backend's stable `code` (decide by it, never by
 * the text) and its `message`, the original app's text (show it as the detail). See docs/contract.md, "Errors".
 */
export class BridgeError extends Error {
  override readonly name = 'BridgeError';

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Whether `reason` is a command failure with this code. */
export function hasErrorCode(reason: unknown, code: ErrorCode): boolean {
  return reason instanceof BridgeError && reason.code === code;
}

/**
 * A transport's rejection as a BridgeError: the backend's `{error|message, code}` object, or anything else
 * (a string, a thrown Error) as `internal`.
 */
export function toBridgeError(reason: unknown): BridgeError {
  if (reason instanceof BridgeError) return reason;
  if (reason && typeof reason === 'object') {
    const body = reason as { code?: unknown; message?: unknown; error?: unknown };
    const text = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : null;
    if (typeof body.code === 'string' && body.code && text !== null) return new BridgeError(body.code as ErrorCode, text);
  }
  return new BridgeError('internal', errorText(reason));
}

/** A command rejection as the human-readable string the backend sent, whatever shape the transport gave it. */
export function errorText(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason && typeof reason === 'object' && 'message' in reason) {
    const message = (reason as { message: unknown }).message;
    if (typeof message === 'string') return message;
  }
  if (reason === undefined || reason === null) return 'Unknown error';
  try {
    return JSON.stringify(reason);
  } catch {
    return String(reason);
  }
}
