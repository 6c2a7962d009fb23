import type { VideoTask } from '../../../types/generated/contract';
import { translator, resolveLanguage } from '../../../i18n';
import { RUNNING, waiting } from './taskStatus';

/** Summary of a finished batch, or null while something still runs or waits in the queue. */
export function finishedBatch(tasks: Record<string, VideoTask>): { completed: number; failed: number } | null {
  let completed = 0;
  let failed = 0;
  for (const task of Object.values(tasks)) {
    if (RUNNING.has(task.status) || waiting(task)) return null;
    if (task.status === 'Completed') completed += 1;
    if (task.status === 'Failed') failed += 1;
  }
  return { completed, failed };
}

function desktopNotify(body: string): void {
  if (typeof Notification === 'undefined') return;
  const t = translator(resolveLanguage(document.documentElement.lang));
  const show = () => new Notification(t('app.title'), { body });
  if (Notification.permission === 'granted') show();
  else if (Notification.permission !== 'denied') void Notification.requestPermission().then((p) => p === 'granted' && show());
}

/** A task finished: one notification, but only while few run (a batch of hundreds gets its summary instead). */
export function taskDoneNotifier(enabled: () => boolean) {
  return (title: string, tasks: Record<string, VideoTask>) => {
    if (!enabled()) return;
    const running = Object.values(tasks).filter((task) => RUNNING.has(task.status)).length;
    if (running >= 3) return;
    const t = translator(resolveLanguage(document.documentElement.lang));
    desktopNotify(t('notify.taskDone', { title }));
  };
}

/**
 * Shows one desktop notification each time the downloads go from busy to idle (if enabled in ui.show_notifications).
 * Returns the function to call after every batch of status changes.
 */
export function batchNotifier(enabled: () => boolean) {
  let wasBusy = false;
  return (tasks: Record<string, VideoTask>) => {
    const done = finishedBatch(tasks);
    if (!done) {
      wasBusy = true;
      return;
    }
    if (!wasBusy) return;
    wasBusy = false;
    if (!enabled()) return;
    const t = translator(resolveLanguage(document.documentElement.lang));
    desktopNotify(t('notify.batchDone', done));
  };
}
