import type { Invoke } from '../../../lib/invoke';
import type { ImportPreview, ReconciledImport, VideoTask } from '../../../types/generated/contract';

export const PREVIEW_ROWS = 10;

export function importApi(invoke: Invoke) {
  return {
    preview: (filePath: string) => invoke<ImportPreview>('preview_import_data', { filePath, maxRows: PREVIEW_ROWS }),
    importAndEnqueue: (filePath: string, fieldMapping: Record<string, string>, outputDir: string | null) =>
      invoke<VideoTask[]>('import_tasks_and_enqueue', { filePath, fieldMapping, outputDir }),
    /** The same import, answered with what it found: new tasks, and where the already known ones stand. */
    importAndReconcile: (filePath: string, fieldMapping: Record<string, string>, outputDir: string | null) =>
      invoke<ReconciledImport>('import_and_reconcile', { filePath, fieldMapping, outputDir }),
    /** A dropped or picked file's bytes, kept by the backend; answers the path the other commands read. */
    stage: (name: string, contentBase64: string) => invoke<string>('stage_import_file', { name, contentBase64 }),
    /** Desktop only: the native file dialog; null when the user cancels. */
    selectFile: () => invoke<string | null>('select_import_file'),
  };
}
