import type { VideoTask } from '../../../types/generated/contract';

/**
 * The speed and ETA a row may claim. They are live figures: while the bridge is down nobody knows them, so they
 * are withheld (null) rather than frozen at the last value; a task that is not transferring has none either.
 */
export function liveFigures(task: VideoTask, connected: boolean): { speed: number | null; eta: number | null } {
  if (!connected || task.status !== 'Downloading') return { speed: null, eta: null };
  // The backend rounds the time left down: a transfer still running never has "0s" left, at least one second.
  return { speed: task.speed > 0 ? task.speed : null, eta: task.eta === null ? null : Math.max(1, task.eta) };
}
