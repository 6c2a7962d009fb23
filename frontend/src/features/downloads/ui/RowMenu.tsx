import * as ContextMenu from '@radix-ui/react-context-menu';
import type { LucideIcon } from 'lucide-react';
import { ArrowDown, ArrowUp, Ban, Copy, ExternalLink, FolderOpen, Info, Pause, Play, RotateCcw, Trash2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { useT } from '../../../app/i18n';
import { downloadStore, useDownloads } from '../../../stores';
import type { VideoTask } from '../../../types/generated/contract';
import { useIsDesktop } from '../../../app/shell/useBridgeKind';
import { confirmCancel, confirmRemove, copyText, fits, startOrResume } from './taskActions';

interface Item {
  id: string;
  icon: LucideIcon;
  label: string;
  enabled: boolean;
  run(): void;
}

/** The right-click menu of the list: acts on the selection (a right-click first selects an unselected row). */
export function RowMenu({ children }: { children: ReactNode }) {
  const t = useT();
  const tasks = useDownloads((state) => state.listed); // statuses, not progress: see TaskTable.listed
  const selected = useDownloads((state) => state.selected);
  const canMove = useDownloads((state) => state.canMove);
  const store = downloadStore.getState;
  const desktop = useIsDesktop();
  const chosen: VideoTask[] = Object.keys(selected).map((id) => tasks[id]).filter(Boolean);
  const one = chosen.length === 1 ? chosen[0] : null;
  const ids = (test: (task: VideoTask) => boolean) => chosen.filter(test).map((task) => task.id);

  const groups: Item[][] = [
    [
      { id: 'start', icon: Play, label: t('list.menu.start'), enabled: chosen.some(fits.startable), run: () => void startOrResume(chosen) },
      { id: 'pause', icon: Pause, label: t('action.pause'), enabled: chosen.some(fits.pause), run: () => void store().pauseTasks(ids(fits.pause)) },
      { id: 'retry', icon: RotateCcw, label: t('action.retry'), enabled: chosen.some(fits.retry), run: () => void store().retryTasks(ids(fits.retry)) },
      { id: 'cancel', icon: Ban, label: t('list.cancelDownload'), enabled: !!one && fits.cancel(one), run: () => one && void confirmCancel(one, t) },
    ],
    [
      ...(desktop
        ? [
            { id: 'open-file', icon: ExternalLink, label: t('action.openFile'), enabled: !!one && fits.openFile(one), run: () => one && void store().openFile(one.file_path!) },
            { id: 'reveal', icon: FolderOpen, label: t('action.reveal'), enabled: !!one && fits.reveal(one), run: () => one && void store().revealPath(one.file_path!) },
          ]
        : []),
      { id: 'copy-url', icon: Copy, label: t('list.menu.copyUrl'), enabled: chosen.length > 0, run: () => void copyText(chosen.map((x) => x.url).join('\n'), t) },
      { id: 'details', icon: Info, label: t('list.tb.details'), enabled: !!one, run: () => store().setDetailsOpen(true) },
    ],
    [
      { id: 'move-up', icon: ArrowUp, label: t('list.tb.moveUp'), enabled: canMove && chosen.length > 0, run: () => void store().moveTasks(ids(() => true), 'up') },
      { id: 'move-down', icon: ArrowDown, label: t('list.tb.moveDown'), enabled: canMove && chosen.length > 0, run: () => void store().moveTasks(ids(() => true), 'down') },
    ],
    [{ id: 'remove', icon: Trash2, label: t('list.tb.remove', { count: chosen.length }), enabled: chosen.length > 0, run: () => void confirmRemove(chosen, t) }],
  ];

  return (
    <ContextMenu.Root>
      <ContextMenu.Trigger asChild>{children}</ContextMenu.Trigger>
      <ContextMenu.Portal>
        <ContextMenu.Content className="menu" data-testid="row-menu">
          {groups.map((items, index) => (
            <ContextMenu.Group key={index}>
              {index > 0 && <ContextMenu.Separator className="menu-separator" />}
              {items.map((item) => (
                <ContextMenu.Item key={item.id} className="menu-item" data-testid={`menu-${item.id}`} disabled={!item.enabled} onSelect={item.run}>
                  <item.icon size={14} aria-hidden /> {item.label}
                </ContextMenu.Item>
              ))}
            </ContextMenu.Group>
          ))}
        </ContextMenu.Content>
      </ContextMenu.Portal>
    </ContextMenu.Root>
  );
}
