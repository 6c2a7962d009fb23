/**
 * The list's columns: their ids, default widths and which sort key a header click sets. TanStack Table keeps
 * their sizes (and resizing); rows read the widths through one CSS variable, so a drag re-renders only the header.
 */
import { columnResizingFeature, columnSizingFeature, createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { MessageKey } from '../../../i18n';
import type { VideoTask } from '../../../types/generated/contract';
import type { SortKey } from '../state/visibleTasks';

export const features = tableFeatures({ columnSizingFeature, columnResizingFeature });
const helper = createColumnHelper<typeof features, VideoTask>();

export type ColumnId = 'select' | 'name' | 'course' | 'size' | 'progress' | 'speed' | 'eta' | 'status' | 'actions';

interface ColumnSpec {
  id: ColumnId;
  title?: MessageKey;
  sort?: SortKey;
  size: number;
  minSize?: number;
  resizable: boolean;
}

export const COLUMN_SPECS: ColumnSpec[] = [
  { id: 'select', size: 32, resizable: false },
  // The name keeps room for a readable title (about 14 CJK characters) before the figures give way to their minimums.
  { id: 'name', title: 'list.col.name', sort: 'name', size: 280, minSize: 220, resizable: false },
  { id: 'course', title: 'list.col.course', sort: 'course', size: 150, minSize: 60, resizable: true },
  { id: 'size', title: 'list.col.size', sort: 'size', size: 84, minSize: 80, resizable: true }, // "100.0 MiB" whole
  { id: 'progress', title: 'list.col.progress', sort: 'progress', size: 150, minSize: 80, resizable: true },
  { id: 'speed', title: 'list.col.speed', sort: 'speed', size: 92, minSize: 56, resizable: true },
  { id: 'eta', title: 'list.col.eta', sort: 'eta', size: 84, minSize: 48, resizable: true },
  { id: 'status', title: 'list.col.status', sort: 'status', size: 200, minSize: 70, resizable: true },
  // The row's hover actions sit over its right end (styles.css .cell-actions): no track of their own.
  { id: 'actions', size: 0, resizable: false },
];

export const columns = helper.columns(
  COLUMN_SPECS.map((spec) =>
    helper.display({ id: spec.id, size: spec.size, minSize: spec.minSize ?? spec.size, enableResizing: spec.resizable }),
  ),
);

/**
 * The grid template every row uses. The name column takes what is left, so the table fills its width; when the
 * window (or the details pane) leaves too little, the other columns give way down to their minimum first.
 */
export function gridTemplate(sizes: Record<string, number>, grouped: boolean): string {
  return COLUMN_SPECS.map((spec) => {
    if (spec.id === 'name') return `minmax(${spec.minSize}px, 1fr)`;
    // Grouped, the course is the group's header: its column would repeat it on every row.
    if (spec.id === 'course' && grouped) return '0px';
    return spec.resizable ? `minmax(${Math.min(spec.minSize ?? 0, sizes[spec.id])}px, ${sizes[spec.id]}px)` : `${sizes[spec.id]}px`;
  }).join(' ');
}
