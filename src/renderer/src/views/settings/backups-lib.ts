// Labels for the backups list: sizes in B/KB/MB, times in the learner's own time zone.

/** 1234567 -> "1.2 MB"; binary multiples, one decimal below 10. */
export function formatBytes(sizeBytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = sizeBytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1
  return `${value.toFixed(digits)} ${units[unit]}`
}

/** A backup's time for the list, e.g. "2 Mar 2026, 09:00", in `timeZone` (default: the system's). */
export function formatWhen(createdAt: number, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    ...(timeZone ? { timeZone } : {})
  }).format(new Date(createdAt))
}
