// Pure helpers for the Import screen.
import type { ImportPreviewItem } from '../../../../shared/imports'

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
