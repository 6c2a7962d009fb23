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
