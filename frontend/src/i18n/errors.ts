/**
 * A failed command in the user's language. The backend sends a stable code beside its own (English) text; the code
 * picks the translated message (`error.<code>`), and the text stays as the detail for support and bug reports.
 */
import { errorText } from '../bridge/errors';
import { isMessageKey, type Translate } from './index';

export interface LocalizedError {
  message: string;
  /** The backend's text; absent when it says nothing more than the message. */
  detail?: string;
}

/** The message with its detail in brackets, for places that show one line (a field's problem). */
export function oneLine({ message, detail }: LocalizedError): string {
  return detail ? `${message} (${detail})` : message;
}

/** The code a rejection carries (BridgeError, or the desktop bridge's plain `{message, code}`), if any. */
export function errorCode(reason: unknown): string | null {
  if (reason && typeof reason === 'object' && 'code' in reason) {
    const code = (reason as { code: unknown }).code;
    if (typeof code === 'string' && code) return code;
  }
  return null;
}

export function localizeError(t: Translate, reason: unknown): LocalizedError {
  const text = errorText(reason);
  const code = errorCode(reason);
  const key = code ? `error.${code}` : '';
  if (!isMessageKey(key)) return { message: text };
  const message = t(key);
  return text && text !== message ? { message, detail: text } : { message };
}

/**
 * Why a task failed, in the user's language: `error.<code>` from its `error_code`, the backend's `error_message` as
 * the detail; null when the task carries neither.
 */
export function localizeTaskError(
  t: Translate,
  task: { error_code?: string | null; error_message?: string | null },
): LocalizedError | null {
  if (!task.error_code && !task.error_message) return null;
  const localized = localizeError(t, { code: task.error_code ?? null, message: task.error_message ?? '' });
  return localized.message ? localized : { message: task.error_code ?? '' };  // an unknown code and no text
}

/** A runtime warning in the user's language: `warning.<code>`, else `error.<code>`, else the backend's text. */
export function localizeWarning(t: Translate, warning: { code: string; message: string }): LocalizedError {
  const key = [`warning.${warning.code}`, `error.${warning.code}`].find(isMessageKey);
  if (!key) return { message: warning.message || warning.code };
  const message = t(key);
  return warning.message && warning.message !== message ? { message, detail: warning.message } : { message };
}
