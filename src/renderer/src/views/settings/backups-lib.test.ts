import { describe, expect, it } from 'vitest'
import { formatBytes, formatWhen } from './backups-lib'

describe('backups list labels', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(2_500_000)).toBe('2.4 MB')
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB')
  })

  it('formats times in the given time zone', () => {
    expect(formatWhen(Date.UTC(2026, 2, 2, 9, 5), 'en-GB', 'UTC')).toBe('2 Mar 2026, 09:05')
  })
})
