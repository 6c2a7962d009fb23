import { useEffect, useState } from 'react';
import { parseUrls } from '../../features/downloads/state/links';
import { addLinks } from '../../features/downloads/ui/AddLinksDialog';
import { uiStore } from '../../stores';
import { useT } from '../i18n';

const SHEET = /\.(csv|tsv|txt|xlsx|xls|ods)$/i;

/** What a drag carries that the app can take: files (a sheet) or text (links). */
function carriesSomething(event: DragEvent): boolean {
  const types = Array.from(event.dataTransfer?.types ?? []);
  return types.includes('Files') || types.includes('text/uri-list') || types.includes('text/plain');
}

/**
 * Drag and drop anywhere on the window: a sheet opens the import panel with it; links (from a browser's address bar
 * or a selection of text) become tasks as if pasted. While something is dragged over, an overlay says so.
 */
export function WindowDrop() {
  const t = useT();
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0; // dragenter/dragleave fire for every child crossed; count them to know when the drag left
    const enter = (event: DragEvent) => {
      if (!carriesSomething(event)) return;
      depth += 1;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overWindow = (event: DragEvent) => {
      if (carriesSomething(event)) event.preventDefault(); // allows the drop
    };
    const drop = (event: DragEvent) => {
      depth = 0;
      setOver(false);
      if (!event.dataTransfer || event.defaultPrevented) return; // a panel of its own took it
      event.preventDefault();
      void take(event.dataTransfer);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overWindow);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overWindow);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!over) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden>
      <p>{t('drop.hint')}</p>
    </div>
  );
}

async function take(data: DataTransfer): Promise<void> {
  const ui = uiStore.getState();
  const sheet = Array.from(data.files).find((file) => SHEET.test(file.name));
  if (sheet) {
    ui.dropSheet(sheet);
    await ui.togglePanel('import', true);
    return;
  }
  const urls = parseUrls(`${data.getData('text/uri-list')}\n${data.getData('text/plain')}`);
  if (urls.length) await addLinks({ urls });
}
