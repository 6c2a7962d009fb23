import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type ClipboardEvent } from 'react';
import { useT } from '../../../app/i18n';
import { downloadStore, useDownloads } from '../../../stores';
import type { SelectMode } from '../state/selection';
import type { ListRow } from '../state/visibleTasks';
import { COLUMN_SPECS, gridTemplate } from './columns';
import { EmptyState } from './EmptyState';
import { GroupRow } from './GroupRow';
import { RowMenu } from './RowMenu';
import { TableHeader } from './TableHeader';
import { TaskRow } from './TaskRow';
import { addPastedLinks } from './AddLinksDialog';
import { listKeyHandler } from './useListKeyboard';
import { useIsDesktop } from '../../../app/shell/useBridgeKind';

/** Row height in px: 32 keeps 18+ rows on a 1280×800 screen with room for a readable 13 px line. */
export const ROW_HEIGHT = 32;

const DEFAULT_TEMPLATE = gridTemplate(Object.fromEntries(COLUMN_SPECS.map((spec) => [spec.id, spec.size])), true);

interface Props {
  rows: ListRow[];
  /** Task ids in the order shown (what Shift ranges and Ctrl+A cover). */
  taskOrder: string[];
  total: number;
  connected: boolean;
  onAddLinks(): void;
}

/**
 * The task grid (a treegrid when courses group the tasks): one tab stop (the focused row, roving tabindex), only the rows in view in the DOM (TanStack
 * Virtual), course headers between the tasks when grouped.
 */
export function TaskTable({ rows, taskOrder, total, connected, onAddLinks }: Props) {
  const t = useT();
  const selected = useDownloads((state) => state.selected);
  const focused = useDownloads((state) => state.focused);
  // Grouped and with course headers on screen (pasted links alone have none).
  const grouped = rows[0]?.kind === 'group';
  const desktop = useIsDesktop();
  const [template, setTemplate] = useState(DEFAULT_TEMPLATE);
  const scroller = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (index) => rows[index].key,
    // Without layout (jsdom, first paint) still render the first screen of rows.
    initialRect: { width: 1000, height: 800 },
  });

  const onPointerSelect = useCallback(
    (id: string, mode: SelectMode) => downloadStore.getState().select(id, mode, taskOrder),
    [taskOrder],
  );
  const onKeyDown = useMemo(() => listKeyHandler(rows, taskOrder, desktop), [rows, taskOrder, desktop]);

  // The focused row keeps the tab stop; when the keyboard moved it, bring it into view and give it focus.
  const focusedIndex = useMemo(() => (focused === null ? -1 : rows.findIndex((row) => row.key === focused)), [rows, focused]);
  useEffect(() => {
    if (focusedIndex < 0 || !scroller.current?.contains(document.activeElement)) return;
    virtualizer.scrollToIndex(focusedIndex, { align: 'auto' });
    const element = scroller.current.querySelector<HTMLElement>(`[data-row-key="${CSS.escape(focused!)}"]`);
    if (element && element !== document.activeElement) element.focus({ preventScroll: true });
  }, [focusedIndex, focused, virtualizer]);

  // Nothing focused yet (or the focused row left): the first row takes the tab stop.
  const tabStop = focusedIndex >= 0 ? focused : rows[0]?.key ?? null;
  const allSelected = useMemo(() => taskOrder.length > 0 && taskOrder.every((id) => selected[id]), [taskOrder, selected]);
  const someSelected = useMemo(() => taskOrder.some((id) => selected[id]), [taskOrder, selected]);
  const onSelectAll = useCallback(() => {
    const store = downloadStore.getState();
    if (allSelected) store.clearSelection();
    else store.selectAll(taskOrder);
  }, [allSelected, taskOrder]);
  const onPaste = (event: ClipboardEvent) => {
    if ((event.target as HTMLElement).closest('input, textarea')) return;
    const text = event.clipboardData.getData('text');
    if (text) {
      event.preventDefault();
      void addPastedLinks(text);
    }
  };

  return (
    <div className={`task-table${connected ? '' : ' disconnected'}${grouped ? ' grouped' : ''}`} data-testid="task-list" data-connected={connected}
         style={{ ['--cols' as string]: template }}>
      {!connected && (
        <div className="disconnected-note" role="status" data-testid="list-disconnected">
          {t('list.disconnected')}
        </div>
      )}
      <div className={rows.length ? 'grid' : 'grid grid-empty'} role={grouped ? 'treegrid' : 'grid'} aria-label={t('list.label')} aria-rowcount={rows.length + 1} aria-multiselectable
           aria-busy={!connected} onKeyDown={onKeyDown} onPaste={onPaste}>
        <div role="rowgroup" className="table-head">
          <TableHeader
            grouped={grouped}
            onTemplate={setTemplate}
            allSelected={allSelected}
            someSelected={someSelected}
            onSelectAll={onSelectAll}
          />
        </div>
        {rows.length > 0 && (
          <RowMenu>
            <div className="table-body" ref={scroller} role="rowgroup">
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const row = rows[item.index];
                  return (
                    <div key={item.key} className="row-slot" style={{ height: item.size, transform: `translateY(${item.start}px)` }}>
                      {row.kind === 'group' ? (
                        <GroupRow rowKey={row.key} rowIndex={item.index + 2} course={row.course} ids={row.ids}
                                  collapsed={row.collapsed} focused={tabStop === row.key} connected={connected} />
                      ) : (
                        <TaskRow listed={row.task} rowIndex={item.index + 2} course={row.course} selected={!!selected[row.key]}
                                 focused={tabStop === row.key} connected={connected} inGroup={grouped} desktop={desktop}
                                 onPointerSelect={onPointerSelect} />
                      )}
                    </div>
                  );
                })}
              </div>
            </div>
          </RowMenu>
        )}
      </div>
      {rows.length === 0 && <EmptyState total={total} onAddLinks={onAddLinks} />}
    </div>
  );
}
