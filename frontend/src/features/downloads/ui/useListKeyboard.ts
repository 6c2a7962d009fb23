/**
 * The list's keyboard, as in a file manager: arrows move (Shift extends, Ctrl moves only the focus, Ctrl+Space
 * toggles), Home/End/PageUp/PageDown jump, Ctrl+A selects every task shown, Space does what the row's own button
 * does (pause, resume or start, retry), Delete removes (asking first), Enter opens the finished file (in the desktop
 * window; else the details), Escape clears the selection, and Left/Right fold a course.
 */
import type { KeyboardEvent } from 'react';
import { downloadStore } from '../../../stores';
import { neighbour } from '../state/selection';
import type { ListRow } from '../state/visibleTasks';
import { confirmRemove, fits, primaryAction, targets } from './taskActions';

const PAGE = 15;

export function listKeyHandler(rows: readonly ListRow[], taskOrder: readonly string[], desktop: boolean) {
  return (event: KeyboardEvent<HTMLElement>) => {
    if ((event.target as HTMLElement).closest('input, textarea, select')) return;
    const store = downloadStore.getState();
    const keys = rows.map((row) => row.key);
    const ctrl = event.ctrlKey || event.metaKey;
    // The row with the keyboard focus: the store's, or, before any (the list was entered with Tab), the row the
    // browser focused, so the first arrow moves on from it instead of landing on it.
    const entered = (event.target as HTMLElement).closest<HTMLElement>('[data-row-key]')?.dataset.rowKey ?? null;
    const current = store.focused ?? entered;
    const focusedRow = rows.find((row) => row.key === current);

    const moveTo = (step: number | 'first' | 'last') => {
      const next = neighbour(keys, current, step);
      if (next === null) return;
      const isTask = rows.some((row) => row.key === next && row.kind === 'task');
      store.select(next, !isTask || ctrl ? 'focus' : event.shiftKey ? 'range' : 'only', taskOrder);
    };

    switch (event.key) {
      case 'ArrowDown': moveTo(1); break;
      case 'ArrowUp': moveTo(-1); break;
      case 'PageDown': moveTo(PAGE); break;
      case 'PageUp': moveTo(-PAGE); break;
      case 'Home': moveTo('first'); break;
      case 'End': moveTo('last'); break;
      case 'ArrowLeft':
      case 'ArrowRight':
        if (focusedRow?.kind !== 'group' || focusedRow.collapsed === (event.key === 'ArrowLeft')) return;
        store.toggleCollapsed(focusedRow.course.key);
        break;
      case 'a':
      case 'A':
        if (!ctrl) return;
        store.selectAll(taskOrder);
        break;
      case 'Escape':
        store.clearSelection();
        break;
      case ' ':
        if (ctrl && focusedRow?.kind === 'task') store.select(focusedRow.key, 'toggle', taskOrder);
        else if (focusedRow?.kind === 'group') store.toggleCollapsed(focusedRow.course.key);
        else void primaryAction(targets(false));
        break;
      case 'Delete':
        void confirmRemove(targets(false));
        break;
      case 'Enter': {
        if (focusedRow?.kind === 'group') {
          store.toggleCollapsed(focusedRow.course.key);
          break;
        }
        const task = focusedRow?.kind === 'task' ? focusedRow.task : undefined;
        if (desktop && task && fits.openFile(task)) void store.openFile(task.file_path!);
        else store.setDetailsOpen(true);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  };
}
