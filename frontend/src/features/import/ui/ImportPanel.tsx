import { useState } from 'react';
import { errorText, invoke } from '../../../bridge';
import { useT } from '../../../app/i18n';
import { downloadStore, uiStore } from '../../../stores';
import type { ImportPreview, ImportReconciliation } from '../../../types/generated/contract';
import { importApi } from '../api/importApi';
import { assignField, backendMapping, defaultMapping, hasUrlColumn, IMPORT_FIELDS, type HeaderMapping, type ImportField } from '../state/fieldMapping';

const api = importApi(invoke);
const MAX_DROPPED_BYTES = 6 * 1024 * 1024;

/** The file's bytes as base64 (what `stage_import_file` takes). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] ?? '');
    reader.onerror = () => reject(reader.error?.message ?? 'the file could not be read');
    reader.readAsDataURL(file);
  });
}

/** Sheet import: a file dropped on the panel, picked, chosen in the desktop dialog or typed as a path; a preview,
 * the column mapping, then import. */
export function ImportPanel() {
  const t = useT();
  const [path, setPath] = useState('');
  const [outputDir, setOutputDir] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<HeaderMapping>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ImportReconciliation | null>(null);
  const toast = uiStore.getState().toast;

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (reason) {
      toast('error', errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  const load = (filePath: string) =>
    attempt(async () => {
      setOutcome(null);
      const result = await api.preview(filePath);
      setPreview(result);
      setMapping(defaultMapping(result.headers, result.field_mapping));
    });

  /** A file dropped on the panel or picked with the file input: staged by the backend, then previewed. */
  const take = (file: File | undefined) =>
    attempt(async () => {
      if (!file) return;
      if (file.size > MAX_DROPPED_BYTES) {
        toast('warning', t('import.tooLargeToDrop'));
        return;
      }
      const staged = await api.stage(file.name, await readBase64(file));
      setPath(staged);
      await load(staged);
    });

  const browse = () =>
    attempt(async () => {
      const chosen = await api.selectFile();
      if (chosen) {
        setPath(chosen);
        await load(chosen);
      }
    });

  const run = () =>
    attempt(async () => {
      if (!hasUrlColumn(mapping)) {
        toast('warning', t('import.needUrl'));
        return;
      }
      const done = await api.importAndReconcile(path, backendMapping(mapping), outputDir.trim() || null);
      await downloadStore.getState().refreshTasks();
      setOutcome(done.reconciliation);
      toast('success', t('import.done', { count: done.tasks.length }));
    });

  return (
    <aside
      className="panel import-panel"
      data-testid="import-panel"
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        void take(event.dataTransfer.files[0]);
      }}
    >
      <header>
        <h2>{t('import.title')}</h2>
        <span className="hint" data-testid="import-drop-hint">{t('import.dropHint')}</span>
        <button type="button" data-testid="import-close" onClick={() => uiStore.getState().togglePanel('import', false)}>
          {t('settings.close')}
        </button>
      </header>
      <label>
        {t('import.path')}
        <input data-testid="import-path" value={path} onChange={(e) => setPath(e.target.value)} />
      </label>
      <div className="row">
        <button type="button" data-testid="import-browse" disabled={busy} onClick={browse}>
          {t('import.browse')}
        </button>
        <label className="file-pick">
          {t('import.pick')}
          <input
            type="file"
            data-testid="import-file-input"
            accept=".csv,.tsv,.txt,.xlsx,.xls,.ods"
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
          <p data-testid="import-summary">{t('import.rows', { rows: preview.total_rows, encoding: preview.encoding })}</p>
          <h3>{t('import.mapping')}</h3>
          <table className="import-mapping">
            <tbody>
              {preview.headers.map((header, column) => (
                <tr key={header}>
                  <th>{header}</th>
                  <td>
                    <select
                      data-testid={`import-map-${column}`}
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
          <label>
            {t('import.outputDir')}
            <input data-testid="import-output-dir" value={outputDir} onChange={(e) => setOutputDir(e.target.value)} />
          </label>
          <button type="button" data-testid="import-run" disabled={busy} onClick={run}>
            {t('import.run')}
          </button>
        </>
      )}
      {outcome && (
        <p className="import-outcome" data-testid="import-reconciliation" data-new={outcome.new}
           data-known={outcome.already_known}>
          {t('import.reconciliation', { ...outcome })}
        </p>
      )}
    </aside>
  );
}
