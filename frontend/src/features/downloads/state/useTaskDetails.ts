/**
 * The details pane's data for one task: `get_task_details`, fetched when the task is chosen and again about once a
 * second while its status or bytes move (the backend keeps the speed samples, so the graph survives a reopen).
 */
import { useEffect, useRef, useState } from 'react';
import { invoke } from '../../../bridge';
import type { VideoTask } from '../../../types/generated/contract';
import { downloadsApi } from '../api/downloadsApi';
import type { TaskDetails } from '../api/taskDetails';

export const DETAILS_REFRESH_MS = 1000;

export function useTaskDetails(task: VideoTask | undefined): { details: TaskDetails | null; error: unknown } {
  const [details, setDetails] = useState<TaskDetails | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lastFetch = useRef(0);
  const id = task?.id;
  const status = task?.status;
  const bytes = task?.downloaded_size;
  const [tick, setTick] = useState(0);

  useEffect(() => {
    setDetails(null);
    setError(null);
    lastFetch.current = 0;
  }, [id]);

  // A running task is polled (its pieces and connections move without events); any task is fetched again when
  // its status or bytes change. Throttled: a trailing fetch catches the last change of a burst.
  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    let poll: ReturnType<typeof setTimeout> | undefined;
    const wait = Math.max(0, lastFetch.current + DETAILS_REFRESH_MS - Date.now());
    const timer = setTimeout(() => {
      lastFetch.current = Date.now();
      downloadsApi(invoke)
        .details(id)
        .then(
          (answer) => {
            if (cancelled) return;
            setDetails(answer);
            setError(null);
          },
          (reason) => !cancelled && setError(reason),
        )
        .finally(() => {
          if (!cancelled && status === 'Downloading') poll = setTimeout(() => setTick((n) => n + 1), DETAILS_REFRESH_MS);
        });
    }, wait);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      clearTimeout(poll);
    };
  }, [id, status, bytes, tick]);

  return { details, error };
}
