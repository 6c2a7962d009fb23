/**
 * Backend phrases the details pane and a row's engine tooltip show — why an engine was chosen, what caused a
 * status change — in the user's language. The backend writes them in English without a code (runtime/runtime.py `_Change` causes,
 * engines/routing.py reasons), so they are matched by pattern here; a phrase no pattern knows is shown as sent.
 */
import { isMessageKey, type MessageKey, type Translate } from '../../../i18n';

type Pattern = [RegExp, MessageKey];

const CAUSES: Pattern[] = [
  [/^added$/, 'list.cause.added'],
  [/^imported from (?<file>.+)$/, 'list.cause.imported'],
  [/^migrated from (?<file>.+)$/, 'list.cause.migrated'],
  [/^dispatched from interactive$/, 'list.cause.startedByUser'],
  [/^dispatched from automatic$/, 'list.cause.startedByQueue'],
  [/^dispatched from retry$/, 'list.cause.retryStarted'],
  [/^attempt (?<n>\d+) started$/, 'list.cause.attempt'],
  [/^(paused by user|pause requested)$/, 'list.cause.paused'],
  [/^paused while queued$/, 'list.cause.pausedQueued'],
  [/^recovered after restart$/, 'list.cause.recovered'],
  [/^(cancelled by user|cancel all)$/, 'list.cause.cancelled'],
  [/^restarted by user$/, 'list.cause.restarted'],
  [/^all bytes received$/, 'list.cause.received'],
  [/^transfer verified$/, 'list.cause.verified'],
  [/^failed: (?<code>\w+)$/, 'list.cause.failed'],
  [/^retry (?<n>\d+) after (?<code>\w+)$/, 'list.cause.retry'],
  [/^vdp get$/, 'list.cause.cli'],
  [/^playlist$/, 'list.cause.playlist'],
];

const REASONS: Pattern[] = [
  [/^direct file link \((?<what>[^)]*)\)$/, 'list.route.fileLink'],
  [/^HLS playlist link \((?<what>[^)]*)\)$/, 'list.route.hlsLink'],
  [/^known video site \((?<what>[^)]*)\): yt-dlp$/, 'list.route.videoSite'],
  [/^server sent an HLS playlist \((?<what>[^)]*)\)$/, 'list.route.hlsAnswer'],
  [/^redirected to an HLS playlist$/, 'list.route.hlsRedirect'],
  [/^web page: yt-dlp looks for the video in it$/, 'list.route.webPage'],
  [/^server sent a file \((?<what>[^)]*)\): direct download$/, 'list.route.fileAnswer'],
  [/^chosen by the user \((?<what>[^)]*)\)$/, 'list.route.chosen'],
  [/^could not inspect the link \((?<what>[^)]*)\): direct download$/, 'list.route.uninspected'],
  [/^playlist entry$/, 'list.route.playlistEntry'],
];

function translated(text: string, patterns: Pattern[], t: Translate): string {
  for (const [pattern, key] of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const params: Record<string, string> = { ...match.groups };
    // A failure's code names its reason: the same message the toasts and dialogs use for it.
    if (params.code) params.reason = isMessageKey(`error.${params.code}`) ? t(`error.${params.code}` as MessageKey) : params.code;
    return t(key, params);
  }
  return text;
}

export const causeText = (cause: string, t: Translate) => translated(cause, CAUSES, t);
export const routingText = (reason: string, t: Translate) => translated(reason, REASONS, t);
