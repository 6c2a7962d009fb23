import { useEffect, useState } from 'react';
import { useT } from '../../../app/i18n';
import { invoke } from '../../../bridge';
import { oneLine } from '../../../i18n/errors';
import { describeError } from '../../../stores';
import type { ImportPathPreview } from '../../../types/generated/contract';
import { importApi, PREVIEW_PATHS, type ImportTarget } from '../api/importApi';

const api = importApi(invoke);
/** Typing in the folder field asks again only once the user pauses. */
const SETTLE_MS = 250;

/** Where each row's file will go with the chosen layout and folder, asked of the backend again whenever either
 * changes (`target` is memoised by the panel, so a render alone asks nothing). */
export function PathPreview({ filePath, target }: { filePath: string; target: ImportTarget }) {
  const t = useT();
  const [preview, setPreview] = useState<ImportPathPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api.previewPaths(filePath, target).then(
        (answer) => {
          if (!current) return;
          setPreview(answer);
          setProblem(null);
        },
        (reason) => {
          if (!current) return;
          setPreview(null);
          setProblem(oneLine(describeError(reason)));
        },
      );
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [filePath, target]);

  if (problem) return <p className="setting-problem" data-testid="import-paths-problem">{problem}</p>;
  if (!preview) return null;
  const shown = preview.entries.slice(0, PREVIEW_PATHS);
  return (
    <section data-testid="import-paths" data-layout={preview.layout}>
      <h3>{t('import.pathsTitle')}</h3>
      <p className="hint-text" data-testid="import-paths-summary">
        {t('import.pathsSummary', { rows: preview.total, courses: preview.courses, folder: preview.output_dir })}
      </p>
      {preview.name_clashes > 0 && (
        <p className="setting-problem" role="status" data-testid="import-paths-clashes">
          {t('import.nameClashes', { count: preview.name_clashes })}
        </p>
      )}
      {/* Focusable, so the list scrolls from the keyboard too. */}
      <ul className="path-preview" tabIndex={0} aria-label={t('import.pathsTitle')}>
        {shown.map((entry) => (
          <li key={entry.row} data-testid="import-paths-entry" data-path={entry.path} title={entry.path}>
            {relativeTo(preview.output_dir, entry.path)}
            {!entry.extension_known && <span className="hint-text"> ({t('import.extensionLater')})</span>}
          </li>
        ))}
        {preview.total > shown.length && <li>{t('import.pathsMore', { count: preview.total - shown.length })}</li>}
      </ul>
    </section>
  );
}

/** The path under the import folder (the summary names the folder once; the file names are what differ). */
function relativeTo(folder: string, path: string): string {
  const base = folder.replace(/[\\/]+$/, '');
  return path.startsWith(base) && /[\\/]/.test(path.charAt(base.length)) ? path.slice(base.length + 1) : path;
}
