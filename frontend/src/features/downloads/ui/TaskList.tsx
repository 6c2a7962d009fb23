import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef } from 'react';
import { useT } from '../../../app/i18n';
import { downloadStore, useDownloads } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import { TaskRow } from './TaskRow';

const ROW_HEIGHT = 88;

/** Only the rows in view are in the DOM, so a list of 100 000 tasks scrolls like one of ten. */
export function TaskList({ rows, total }: { rows: VideoTask[]; total: number }) {
  const t = useT();
  const selected = useDownloads((state) => state.selected);
  const retrying = useDownloads((state) => state.retrying);
  const scroller = useRef<HTMLDivElement>(null);
  const onSelect = useCallback(
    (id: string, extend: boolean) => {
      const store = downloadStore.getState();
      if (extend) store.selectRange(id, rows.map((row) => row.id));
      else store.toggleSelection(id);
    },
    [rows],
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => rows[index].id,
    // Without layout (jsdom, first paint) still render the first screen of rows.
    initialRect: { width: 1000, height: 800 },
  });

  if (!rows.length) {
    return (
      <div className="task-list empty" data-testid="task-list">
        {total ? t('list.noMatch') : t('list.empty')}
      </div>
    );
  }

  return (
    <div className="task-list" data-testid="task-list" ref={scroller}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const task = rows[item.index];
          return (
            <div
              key={item.key}
              className="task-slot"
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
            >
              <TaskRow task={task} selected={!!selected[task.id]} retry={retrying[task.id]} onSelect={onSelect} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
