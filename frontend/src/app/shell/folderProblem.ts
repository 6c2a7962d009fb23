import type { Translate } from '../../i18n';
import { oneLine } from '../../i18n/errors';
import type { FolderCheck } from '../../types/generated/contract';

/** Why a folder cannot be used, translated; the backend's own words follow as the detail. */
export function folderProblem(t: Translate, check: FolderCheck): string {
  const message = check.exists && !check.writable ? t('folder.notWritable') : t('folder.unusable');
  return oneLine({ message, detail: check.problem ?? undefined });
}
