import { useTable } from '@tanstack/react-table';
import { ArrowDown, ArrowUp } from 'lucide-react';
import { memo, useEffect } from 'react';
import { useT } from '../../../app/i18n';
import { downloadStore, useDownloads } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import { columns, COLUMN_SPECS, features, gridTemplate } from './columns';

const NO_ROWS: VideoTask[] = [];

interface Props {
  /** Course headers are on screen: the course column is left out. */
  grouped: boolean;
  /** Receives the grid template whenever a column is resized. */
  onTemplate(template: string): void;
  allSelected: boolean;
  someSelected: boolean;
  onSelectAll(): void;
}

/** Sortable, resizable column headers (TanStack Table holds the sizes; sorting is the store's). */
export const TableHeader = memo(function TableHeader({ grouped, onTemplate, allSelected, someSelected, onSelectAll }: Props) {
  const t = useT();
  const sortBy = useDownloads((state) => state.sortBy);
  const direction = useDownloads((state) => state.sortDirection);
  const table = useTable({ features, columns, data: NO_ROWS, columnResizeMode: 'onChange' });
  const headers = table.getHeaderGroups()[0].headers;
  const sizes = Object.fromEntries(headers.map((header) => [header.id, header.getSize()]));
  const template = gridTemplate(sizes, grouped);
  useEffect(() => onTemplate(template), [template, onTemplate]);

  return (
    <div className="table-header" role="row" aria-rowindex={1} data-testid="table-header">
      {headers.map((header, index) => {
        const spec = COLUMN_SPECS[index];
        if (spec.id === 'select') {
          return (
            <div key={header.id} role="columnheader" className="cell cell-select">
              <input type="checkbox" tabIndex={-1} data-testid="select-all-checkbox" aria-label={t('list.selectAll')}
                     checked={allSelected} ref={(box) => { if (box) box.indeterminate = someSelected && !allSelected; }}
                     onChange={onSelectAll} />
            </div>
          );
        }
        if (!spec.title) return <div key={header.id} role="columnheader" className={`cell cell-${spec.id}`} aria-label={t('list.col.actions')} />;
        const sorted = spec.sort && sortBy === spec.sort ? direction : null;
        return (
          <div key={header.id} role="columnheader" className={`cell cell-${spec.id}`}
               aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
            <button type="button" className="sort-button" data-testid={`sort-${spec.id}`}
                    onClick={() => spec.sort && downloadStore.getState().setSort(spec.sort)}>
              {t(spec.title)}
              {sorted === 'asc' && <ArrowUp size={12} aria-hidden />}
              {sorted === 'desc' && <ArrowDown size={12} aria-hidden />}
            </button>
            {spec.resizable && (
              <div className={`resizer${header.column.getIsResizing() ? ' resizing' : ''}`} aria-hidden
                   onMouseDown={header.getResizeHandler()} onTouchStart={header.getResizeHandler()}
                   onDoubleClick={() => header.column.resetSize()} />
            )}
          </div>
        );
      })}
    </div>
  );
});
