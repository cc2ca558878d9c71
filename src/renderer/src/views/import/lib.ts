// Pure helpers for the Import screen.
import type { ColumnRole, ImportPreviewItem } from '../../../../shared/imports'

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024

/** The base64 payload of a `data:` URL from FileReader.readAsDataURL. */
export function dataUrlPayload(dataUrl: string): string {
  const comma = dataUrl.indexOf(',')
  return comma < 0 ? '' : dataUrl.slice(comma + 1)
}

export function countByAction(items: ImportPreviewItem[]): Record<ImportPreviewItem['action'], number> {
  const counts = { create: 0, update: 0, unchanged: 0 }
  for (const item of items) counts[item.action]++
  return counts
}

export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** `12` or `12–18`: the source lines a preview row or a warning came from. */
export function lineRange(from: number, to: number | undefined): string {
  return to === undefined || to <= from ? String(from) : `${from}–${to}`
}

/** What a preview or an import sends for a CSV/TSV file: the mapping once the user chose one. */
export function tableChoices(
  columns: ColumnRole[] | null,
  header: boolean | null
): { columns?: ColumnRole[]; header?: boolean } {
  return { ...(columns ? { columns } : {}), ...(header === null ? {} : { header }) }
}

/** Why the mapping cannot be used as it stands, or null. */
export function mappingProblem(columns: ColumnRole[]): string | null {
  if (!columns.includes('front')) return 'Choose which column is the front of the card.'
  return null
}
