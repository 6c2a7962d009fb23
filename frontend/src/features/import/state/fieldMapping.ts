/** Header ↔ field mapping of the import panel (docs/contract.md, "Import commands"), in the backend's field names. */

export const IMPORT_FIELDS = ['video_url', 'column_id', 'column_name', 'course_id', 'course_name'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** header → field, '' meaning "ignore this column". */
export type HeaderMapping = Record<string, ImportField | ''>;

const ALIASES: Record<string, ImportField> = {
  video_url: 'video_url',
  record_url: 'video_url',
  url: 'video_url',
  column_id: 'column_id',
  zl_id: 'column_id',
  id: 'column_id',
  column_name: 'column_name',
  zl_name: 'column_name',
  name: 'column_name',
  course_id: 'course_id',
  kc_id: 'course_id',
  course_name: 'course_name',
  kc_name: 'course_name',
};

/** The backend's guess (`preview.field_mapping`, header → field in any spelling), one header per field. */
export function defaultMapping(headers: readonly string[], guessed: Record<string, string | undefined>): HeaderMapping {
  const mapping: HeaderMapping = {};
  const taken = new Set<ImportField>();
  for (const header of headers) {
    const field = ALIASES[(guessed[header] ?? '').toLowerCase()];
    mapping[header] = field && !taken.has(field) ? field : '';
    if (field) taken.add(field);
  }
  return mapping;
}

/** Picking a field for one header takes it away from any other header. */
export function assignField(mapping: HeaderMapping, header: string, field: ImportField | ''): HeaderMapping {
  const next: HeaderMapping = {};
  for (const [other, current] of Object.entries(mapping)) next[other] = field && current === field ? '' : current;
  next[header] = field;
  return next;
}

/** What `import_tasks_and_enqueue` takes: field → header. */
export function backendMapping(mapping: HeaderMapping): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [header, field] of Object.entries(mapping)) if (field) out[field] = header;
  return out;
}

export function hasUrlColumn(mapping: HeaderMapping): boolean {
  return Object.values(mapping).includes('video_url');
}
