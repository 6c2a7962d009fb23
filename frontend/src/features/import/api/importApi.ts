import type { Invoke } from '../../../lib/invoke';
import type { ImportPathPreview, ImportPreview, ReconciledImport } from '../../../types/generated/contract';

export const PREVIEW_ROWS = 10;
/** Paths listed in the preview, as many as it shows (its totals count every row). */
export const PREVIEW_PATHS = 60;

/** Where imported rows go: one folder per course with numbered lessons (default), per column, or all in one. */
export const IMPORT_LAYOUTS = ['by_course', 'by_column', 'flat'] as const;
export type ImportLayout = (typeof IMPORT_LAYOUTS)[number];

export interface ImportTarget {
  fieldMapping: Record<string, string>;
  /** null: the configured save folder. */
  outputDir: string | null;
  layout: ImportLayout;
}

export function importApi(invoke: Invoke) {
  return {
    preview: (filePath: string) => invoke<ImportPreview>('preview_import_data', { filePath, maxRows: PREVIEW_ROWS }),
    /** The absolute path each row's file will get, before anything is imported. */
    previewPaths: (filePath: string, target: ImportTarget) =>
      invoke<ImportPathPreview>('preview_import_paths', { filePath, ...target, maxRows: PREVIEW_PATHS }),
    /** The same import, answered with what it found: new tasks, and where the already known ones stand. */
    importAndReconcile: (filePath: string, target: ImportTarget) =>
      invoke<ReconciledImport>('import_and_reconcile', { filePath, ...target }),
    /** A dropped or picked file's bytes, kept by the backend; answers the path the other commands read. */
    stage: (name: string, contentBase64: string) => invoke<string>('stage_import_file', { name, contentBase64 }),
    /** Desktop only: the native file dialog; null when the user cancels. */
    selectFile: () => invoke<string | null>('select_import_file'),
  };
}
