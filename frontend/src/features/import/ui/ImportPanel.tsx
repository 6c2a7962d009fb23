import { useCallback, useEffect, useMemo, useState } from 'react';
import { invoke } from '../../../bridge';
import { useT } from '../../../app/i18n';
import { useIsDesktop } from '../../../app/shell/useBridgeKind';
import { downloadStore, reportError, uiStore, useConfig, useUi } from '../../../stores';
import type { ImportPreview, ImportReconciliation } from '../../../types/generated/contract';
import { IMPORT_LAYOUTS, importApi, type ImportLayout, type ImportTarget } from '../api/importApi';
import { assignField, backendMapping, defaultMapping, hasUrlColumn, IMPORT_FIELDS, type HeaderMapping, type ImportField } from '../state/fieldMapping';
import { PathPreview } from './PathPreview';

const api = importApi(invoke);
const MAX_DROPPED_BYTES = 6 * 1024 * 1024;

/** The file's bytes as base64 (what `stage_import_file` takes); null when the browser could not read it. */
function readBase64(file: File): Promise<string | null> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] ?? '');
    reader.onerror = () => resolve(null);
    reader.readAsDataURL(file);
  });
}

/** The sheets the backend reads (backend/vdp/importers/_formats.py): text ones, and workbooks (read by calamine:
 *  no text encoding). */
const TEXT_SHEETS = ['.csv', '.tsv', '.txt'];
const WORKBOOKS = ['.xlsx', '.xls', '.ods'];
const isWorkbook = (path: string) => WORKBOOKS.some((extension) => path.toLowerCase().endsWith(extension));

/** Sheet import: a file dropped on the window or the panel, picked, chosen in the desktop dialog or typed as a path;
 * a preview, the column mapping, the folder layout with the paths it gives, then import. */
export function ImportPanel() {
  const t = useT();
  const desktop = useIsDesktop();
  const saveFolder = useConfig((state) => state.config?.download.output_directory ?? '');
  const dropped = useUi((state) => state.droppedSheet);
  const [path, setPath] = useState('');
  const [outputDir, setOutputDir] = useState('');
  const [layout, setLayout] = useState<ImportLayout>('by_course');
  const [preview, setPreview] = useState<(ImportPreview & { workbook: boolean }) | null>(null);
  const [mapping, setMapping] = useState<HeaderMapping>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ImportReconciliation | null>(null);
  const toast = uiStore.getState().toast;

  const attempt = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (reason) {
      reportError(reason);
    } finally {
      setBusy(false);
    }
  }, []);

  const readPreview = useCallback(async (filePath: string) => {
    setOutcome(null);
    const result = await api.preview(filePath);
    setPreview({ ...result, workbook: isWorkbook(filePath) }); // the file previewed, not what the field says now
    setMapping(defaultMapping(result.headers, result.field_mapping));
  }, []);
  const load = (filePath: string) => attempt(() => readPreview(filePath));

  /** A file dropped or picked: its bytes are staged by the backend (a browser has no path to give), then previewed. */
  const take = useCallback(
    (file: File | undefined) =>
      attempt(async () => {
        if (!file) return;
        if (file.size > MAX_DROPPED_BYTES) {
          toast('warning', t('import.tooLargeToDrop'));
          return;
        }
        const content = await readBase64(file);
        if (content === null) {
          toast('error', t('import.unreadable', { name: file.name }));
          return;
        }
        const staged = await api.stage(file.name, content);
        setPath(staged);
        await readPreview(staged);
      }),
    [attempt, readPreview, t, toast],
  );

  // A sheet dropped anywhere on the window opened this panel; take it over.
  useEffect(() => {
    if (!dropped) return;
    uiStore.getState().dropSheet(null);
    void take(dropped);
  }, [dropped, take]);

  const browse = () =>
    attempt(async () => {
      const chosen = await api.selectFile();
      if (chosen) {
        setPath(chosen);
        await load(chosen);
      }
    });

  const target: ImportTarget = useMemo(
    () => ({ fieldMapping: backendMapping(mapping), outputDir: outputDir.trim() || null, layout }),
    [mapping, outputDir, layout],
  );

  const run = () =>
    attempt(async () => {
      if (!hasUrlColumn(mapping)) {
        toast('warning', t('import.needUrl'));
        return;
      }
      const done = await api.importAndReconcile(path, target);
      await downloadStore.getState().refreshTasks();
      setOutcome(done.reconciliation);
      // Nothing new is no success to celebrate: the outcome below says where every row went.
      if (done.tasks.length) toast('success', t('import.done', { count: done.tasks.length }));
      else toast('info', t('import.nothingNew'));
    });

  return (
    <aside
      className="panel import-panel"
      data-testid="import-panel"
      onKeyDown={(event) => event.key === 'Escape' && void uiStore.getState().togglePanel('import', false)}
      aria-label={t('import.title')}
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        void take(event.dataTransfer.files[0]);
      }}
    >
      <header>
        <h2>{t('import.title')}</h2>
        <button type="button" data-testid="import-close" onClick={() => void uiStore.getState().togglePanel('import', false)}>
          {t('settings.close')}
        </button>
      </header>
      <p className="hint-text" data-testid="import-drop-hint">{t('import.dropHint')}</p>
      <label>
        {t('import.path')}
        <input data-testid="import-path" value={path} onChange={(e) => setPath(e.target.value)} />
      </label>
      <div className="row">
        {desktop && (
          <button type="button" data-testid="import-browse" disabled={busy} onClick={browse}>
            {t('import.browse')}
          </button>
        )}
        <label className="file-pick">
          {t('import.pick')}
          <input
            type="file"
            data-testid="import-file-input"
            accept={[...TEXT_SHEETS, ...WORKBOOKS].join(',')}
            onChange={(event) => {
              void take(event.target.files?.[0]);
              event.target.value = '';
            }}
          />
        </label>
        <button type="button" data-testid="import-preview" disabled={busy || !path.trim()} onClick={() => load(path.trim())}>
          {t('import.preview')}
        </button>
      </div>
      {preview && (
        <>
          <p data-testid="import-summary">
            {/* A workbook has no text encoding to speak of; a CSV's says how it was read. */}
            {preview.workbook
              ? t('import.rowsOnly', { rows: preview.total_rows })
              : t('import.rows', { rows: preview.total_rows, encoding: preview.encoding })}
          </p>
          <h3>{t('import.mapping')}</h3>
          <table className="import-mapping">
            <tbody>
              {preview.headers.map((header, column) => (
                <tr key={header}>
                  <th>{header}</th>
                  <td>
                    <select
                      data-testid={`import-map-${column}`}
                      aria-label={header}
                      value={mapping[header] ?? ''}
                      onChange={(e) => setMapping(assignField(mapping, header, e.target.value as ImportField | ''))}
                    >
                      <option value="">{t('import.ignore')}</option>
                      {IMPORT_FIELDS.map((field) => (
                        <option key={field} value={field}>
                          {t(`import.field.${field}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="sample">{preview.rows[0]?.[column] ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <fieldset className="import-layout" data-testid="import-layout">
            <legend>{t('import.layout')}</legend>
            {IMPORT_LAYOUTS.map((choice) => (
              <label key={choice} className="check">
                <input
                  type="radio"
                  name="import-layout"
                  value={choice}
                  data-testid={`import-layout-${choice}`}
                  checked={layout === choice}
                  onChange={() => setLayout(choice)}
                />
                {t(`import.layout.${choice}`)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('import.outputDir')}
            <input
              data-testid="import-output-dir"
              value={outputDir}
              placeholder={saveFolder}
              spellCheck={false}
              onChange={(e) => setOutputDir(e.target.value)}
            />
          </label>
          {hasUrlColumn(mapping) && <PathPreview filePath={path} target={target} />}
        </>
      )}
      {outcome && (
        <p className="import-outcome" data-testid="import-reconciliation" data-new={outcome.new}
           data-known={outcome.already_known}>
          {t('import.reconciliation', { ...outcome })}
        </p>
      )}
      {preview && (
        <footer>
          <button type="button" className="primary" data-testid="import-run" disabled={busy} onClick={run}>
            {t('import.run')}
          </button>
        </footer>
      )}
    </aside>
  );
}
