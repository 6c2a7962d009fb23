import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useState } from 'react';
import { invoke } from '../../../bridge';
import { useT } from '../../../app/i18n';
import { currentT, downloadStore, reportError, uiStore } from '../../../stores';
import { downloadsApi } from '../api/downloadsApi';
import { parseUrls } from '../state/links';
import type { AddUrlsArgs, DownloaderType } from '../../../types/generated/contract';
import { useBridgeKind } from '../../../app/shell/useBridgeKind';

/** Adds the links and says how many became tasks (a failure reports itself); answers that count. */
export async function addLinks(args: AddUrlsArgs): Promise<number> {
  const t = currentT();
  const added = await downloadStore.getState().addUrls(args);
  uiStore.getState().toast(added.length ? 'success' : 'info', added.length ? t('paste.added', { count: added.length }) : t('paste.none'));
  return added.length;
}

/** Ctrl+V in the list: the links in the text become tasks at once (the engine and quality from the settings). */
export async function addPastedLinks(text: string): Promise<number> {
  const urls = parseUrls(text);
  if (!urls.length) {
    uiStore.getState().toast('info', currentT()('paste.none'));
    return 0;
  }
  return addLinks({ urls });
}

type Engine = '' | DownloaderType;
/** yt-dlp format choices: the site's best, audio only, or a height cap. */
const FORMATS = ['', 'best', 'audio', '1080', '720', '480'] as const;

/** The "Add links" dialog: paste links, pick an engine and a quality if the defaults do not fit. */
export function AddLinksDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const t = useT();
  const kind = useBridgeKind();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [engine, setEngine] = useState<Engine>('');
  const [format, setFormat] = useState('');

  const add = async () => {
    const urls = parseUrls(text);
    if (!urls.length) {
      uiStore.getState().toast('info', t('paste.none'));
      return;
    }
    setBusy(true);
    const added = await addLinks({
      urls,
      ...(engine ? { downloaderType: engine } : {}),
      ...(format ? { format } : {}),
    });
    setBusy(false);
    if (added) {
      setText('');
      onOpenChange(false);
    }
  };

  const fromClipboard = async () => {
    try {
      const clip = await downloadsApi(invoke).readClipboard();
      setText((current) => (current ? `${current}\n${clip}` : clip));
    } catch (reason) {
      reportError(reason);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="modal-backdrop" />
        <Dialog.Content className="modal add-links" data-testid="add-links-dialog" aria-describedby={undefined}>
          <header className="modal-head">
            <Dialog.Title>{t('list.addLinks')}</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="icon-button" aria-label={t('settings.close')}><X size={16} aria-hidden /></button>
            </Dialog.Close>
          </header>
          <textarea
            id="paste-box"
            data-testid="paste-box"
            rows={8}
            value={text}
            aria-label={t('paste.placeholder')}
            placeholder={t('paste.placeholder')}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void add();
            }}
          />
          <div className="paste-options">
            <select data-testid="engine-select" aria-label={t('paste.engine')} value={engine}
                    onChange={(event) => setEngine(event.target.value as Engine)}>
              <option value="">{t('paste.engineAuto')}</option>
              <option value="Http">HTTP</option>
              <option value="M3u8">HLS (m3u8)</option>
              <option value="Youtube">yt-dlp</option>
            </select>
            <select data-testid="format-select" aria-label={t('paste.format')} value={format}
                    onChange={(event) => setFormat(event.target.value)}>
              {FORMATS.map((choice) => (
                <option key={choice} value={choice}>{t(`paste.format.${choice || 'default'}`)}</option>
              ))}
            </select>
          </div>
          <footer>
            {kind === 'desktop' && (
              <button type="button" data-testid="clipboard-button" onClick={fromClipboard}>
                {t('paste.clipboard')}
              </button>
            )}
            <span className="spacer" />
            <Dialog.Close asChild>
              <button type="button">{t('list.close')}</button>
            </Dialog.Close>
            <button type="button" className="primary" data-testid="add-urls-button" id="add-urls-button" disabled={busy || !text.trim()} onClick={add}>
              {t('paste.add')}
            </button>
          </footer>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
