/**
 * Every action on tasks, in one place: the toolbar, the row's hover buttons, the context menu and the keyboard
 * all use these, so a rule (what fits which status, what asks first) is written once.
 */
import type { Translate } from '../../../i18n';
import { currentT, downloadStore, uiStore } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import { canCancel, canResume, canRetry, canStart, fitsOpenFile, fitsPause } from '../state/taskStatus';

const store = downloadStore.getState;

export const fits = {
  start: (task: VideoTask) => canStart(task.status),
  resume: (task: VideoTask) => canResume(task.status),
  /** What "start" does to a selection: starts the waiting tasks, resumes the paused ones. */
  startable: (task: VideoTask) => canStart(task.status) || canResume(task.status),
  pause: fitsPause,
  retry: (task: VideoTask) => canRetry(task.status),
  cancel: (task: VideoTask) => canCancel(task.status),
  openFile: fitsOpenFile,
  reveal: (task: VideoTask) => !!task.file_path,
};

/** The tasks an action applies to: the selection, or all tasks when nothing is selected. */
export function targets(all = true): VideoTask[] {
  const { tasks, selected } = store();
  const ids = Object.keys(selected).filter((id) => tasks[id]);
  if (ids.length) return ids.map((id) => tasks[id]);
  return all ? Object.values(tasks) : [];
}

const ids = (tasks: VideoTask[]) => tasks.map((task) => task.id);

export async function confirmRemove(tasks: VideoTask[], t: Translate = currentT()): Promise<void> {
  if (!tasks.length) return;
  const answer = await uiStore.getState().ask({
    title: t('confirm.remove.title', { count: tasks.length }),
    message: t('confirm.remove.message'),
    option: t('confirm.remove.deleteFiles'),
    items: tasks.map((task) => task.title),
    confirmLabel: t('list.confirmRemove', { count: tasks.length }),
    cancelLabel: t('list.keepTasks'),
    danger: true,
  });
  if (answer.confirmed) await store().removeTasks(ids(tasks), answer.option);
}

export async function confirmCancel(task: VideoTask, t: Translate = currentT()): Promise<void> {
  const answer = await uiStore.getState().ask({
    title: t('confirm.cancel.title'),
    message: `${task.title} — ${t('confirm.cancel.message')}`,
    confirmLabel: t('list.cancelDownload'),
    cancelLabel: t('list.keepDownloading'),
    danger: true,
  });
  if (answer.confirmed) await store().cancelDownload(task.id);
}

/** Completed tasks leave the list (their files stay): asked first, as any removal is. */
export async function confirmClearCompleted(t: Translate = currentT()): Promise<void> {
  const done = Object.values(store().tasks).filter((task) => task.status === 'Completed');
  const answer = await uiStore.getState().ask({
    title: t('confirm.clearCompleted.title'),
    message: t('confirm.clearCompleted.message'),
    items: done.map((task) => task.title),
    confirmLabel: t('toolbar.clearCompleted'),
    cancelLabel: t('list.keepTasks'),
  });
  if (answer.confirmed) await store().clearCompletedTasks();
}

/** Space, as the row's own button: pause what runs in the set; if nothing runs, resume or start it; if nothing can
 *  start either, try the failed and cancelled ones again. */
export async function primaryAction(tasks: VideoTask[]): Promise<void> {
  const running = tasks.filter(fits.pause);
  if (running.length) return store().pauseTasks(ids(running));
  if (tasks.some(fits.startable)) return startOrResume(tasks);
  const retried = tasks.filter(fits.retry);
  if (retried.length) await store().retryTasks(ids(retried));
}

export async function startOrResume(tasks: VideoTask[]): Promise<void> {
  await store().startTasks(ids(tasks.filter(fits.startable)));
}

export async function copyText(text: string, t: Translate = currentT()): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    uiStore.getState().toast('success', t('list.copied'));
  } catch (reason) {
    uiStore.getState().toast('error', t('list.copyFailed'), String(reason));
  }
}
