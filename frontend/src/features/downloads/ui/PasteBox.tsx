import { useState } from 'react';
import { errorText, invoke } from '../../../bridge';
import { useT } from '../../../app/i18n';
import { downloadStore, uiStore } from '../../../stores';
import { downloadsApi } from '../api/downloadsApi';
import type { DownloaderType } from '../../../types/generated/contract';

/** Splits pasted text into distinct http(s)/ftp links, keeping their order. */
export function parseUrls(text: string): string[] {
  const found = text.match(/(?:https?|ftp):\/\/[^\s"'<>]+/gi) ?? [];
  return [...new Set(found)];
}

type Engine = '' | DownloaderType;
/** yt-dlp format choices: the site's best, audio only, or a height cap. */
const FORMATS = ['', 'best', 'audio', '1080', '720', '480'] as const;

export function PasteBox() {
  const t = useT();
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
    const added = await downloadStore.getState().addUrls({
      urls,
      ...(engine ? { downloaderType: engine } : {}),
      ...(format ? { format } : {}),
    });
    setBusy(false);
    if (added.length) setText('');
    uiStore.getState().toast(added.length ? 'success' : 'info', added.length ? t('paste.added', { count: added.length }) : t('paste.none'));
  };

  const fromClipboard = async () => {
    try {
      const clip = await downloadsApi(invoke).readClipboard();
      setText((current) => (current ? `${current}\n${clip}` : clip));
    } catch (reason) {
      uiStore.getState().toast('error', errorText(reason));
    }
  };

  return (
    <section className="paste-box">
      <textarea
        id="paste-box"
        data-testid="paste-box"
        rows={3}
        value={text}
        placeholder={t('paste.placeholder')}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void add();
        }}
      />
      <div className="paste-actions">
        <button type="button" data-testid="add-urls-button" id="add-urls-button" disabled={busy} onClick={add}>
          {t('paste.add')}
        </button>
        <button type="button" data-testid="clipboard-button" onClick={fromClipboard}>
          {t('paste.clipboard')}
        </button>
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
    </section>
  );
}
