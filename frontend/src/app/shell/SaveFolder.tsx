import { Check, FolderOpen, FolderSearch, Undo2 } from 'lucide-react';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { invoke } from '../../bridge';
import { oneLine } from '../../i18n/errors';
import { configStore, describeError, reportError, useConfig } from '../../stores';
import { useT } from '../i18n';
import { folderProblem } from './folderProblem';
import { shortPath } from './shortPath';
import { shellApi } from './shellApi';
import { useIsDesktop } from './useBridgeKind';

const api = shellApi(invoke);

/**
 * Where downloads go, always on the main screen. The desktop window picks the folder with the native dialog
 * (Browse); a browser, which cannot, takes a typed path. Either way the backend checks it (absolute, exists or can be
 * created, writable) before it is saved, and says why not in the user's language.
 */
export function SaveFolder() {
  const t = useT();
  const desktop = useIsDesktop();
  const saved = useConfig((state) => state.config?.download.output_directory ?? '');
  const [draft, setDraft] = useState(saved);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [typing, setTyping] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setDraft(saved), [saved]);
  const edited = draft.trim() !== saved;
  // The box shows the end of the path a person reads (`…/课程/Python 异步编程`); the tooltip and the accessible
  // name carry all of it, and the field holds the full, editable path while the user is in it.
  const short = shortPath(saved);
  const shown = typing || edited ? draft : short;
  useEndInView(input, shown);

  const apply = async (folder: string) => {
    setBusy(true);
    setProblem(null);
    try {
      const check = await api.checkFolder(folder);
      if (!check.usable) {
        setProblem(folderProblem(t, check));
        return;
      }
      if (!(await configStore.getState().updateConfig({ download: { output_directory: check.path } }))) setDraft(saved);
    } catch (reason) {
      setProblem(oneLine(describeError(reason)));
    } finally {
      setBusy(false);
    }
  };

  const browse = async () => {
    try {
      const chosen = await api.chooseFolder();
      if (chosen && chosen !== saved) await apply(chosen);
    } catch (reason) {
      reportError(reason);
    }
  };

  const named = t('folder.pathLabel', { path: saved });
  return (
    <form
      className="save-folder"
      data-testid="save-folder"
      onSubmit={(event) => {
        event.preventDefault();
        if (edited) void apply(draft.trim());
      }}
    >
      <label htmlFor="save-folder-path">{t('folder.label')}</label>
      {desktop ? (
        <>
          <output id="save-folder-path" className="folder-path" data-testid="save-folder-path" title={saved} aria-label={named}>
            <bdi dir="ltr">{short}</bdi>
          </output>
          <button type="button" data-testid="save-folder-browse" disabled={busy} onClick={() => void browse()}>
            <FolderSearch size={14} aria-hidden /> {t('folder.browse')}
          </button>
          <button type="button" data-testid="save-folder-open" title={t('folder.open')} aria-label={t('folder.open')}
            onClick={() => api.openFolder().catch(reportError)}>
            <FolderOpen size={14} aria-hidden />
          </button>
        </>
      ) : (
        <>
          <input
            ref={input}
            id="save-folder-path"
            className="folder-path"
            data-testid="save-folder-path"
            value={shown}
            title={saved}
            aria-label={named}
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'save-folder-problem' : undefined}
            onFocus={() => setTyping(true)}
            onBlur={() => setTyping(false)}
            onChange={(e) => {
              setDraft(e.target.value);
              setProblem(null);
            }}
          />
          {edited && (
            <>
              <button type="submit" className="primary" data-testid="save-folder-apply" disabled={busy || !draft.trim()}
                aria-label={t('folder.apply')} title={t('folder.apply')}>
                <Check size={14} aria-hidden />
              </button>
              <button type="button" data-testid="save-folder-revert" aria-label={t('folder.revert')} title={t('folder.revert')}
                onClick={() => { setDraft(saved); setProblem(null); }}>
                <Undo2 size={14} aria-hidden />
              </button>
            </>
          )}
        </>
      )}
      {problem && (
        <span id="save-folder-problem" className="field-problem" role="alert" data-testid="save-folder-problem">
          {problem}
        </span>
      )}
    </form>
  );
}

/** A long path shows its end (the folder's own name), not the drive or home it starts with: after every change of
 * the text or of the field's width, unless the user is in the field. */
function useEndInView(ref: RefObject<HTMLInputElement | null>, text: string) {
  useEffect(() => {
    const field = ref.current;
    if (!field) return;
    const toEnd = () => {
      if (document.activeElement !== field) field.scrollLeft = field.scrollWidth;
    };
    toEnd();
    const watcher = new ResizeObserver(toEnd);
    watcher.observe(field);
    return () => watcher.disconnect();
  }, [ref, text]);
}
