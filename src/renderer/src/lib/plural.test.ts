import { describe, expect, it } from 'vitest'
import { formatCount, plural } from './plural'

describe('formatCount', () => {
  it('writes every whole number as Intl writes it in English', () => {
    // Intl (ICU) is the outside reference: the same text for small, large, negative and edge values.
    const english = new Intl.NumberFormat('en')
    const values = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 12_345, 100_000, 999_999, 1_000_000, 1_234_567]
    for (const n of [...values, ...values.map((v) => -v), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])
      expect(formatCount(n), String(n)).toBe(english.format(n))
    for (let n = 0; n < 200_000; n += 997) expect(formatCount(n)).toBe(english.format(n))
  })

  it('leaves fractions and huge numbers to Intl', () => {
    expect(formatCount(1234.5)).toBe('1,234.5')
    expect(formatCount(1e21)).toBe(new Intl.NumberFormat('en').format(1e21))
  })

  it('counts nouns', () => {
    expect(plural(1, 'card')).toBe('1 card')
    expect(plural(1204, 'review')).toBe('1,204 reviews')
    expect(plural(2, 'entry', 'entries')).toBe('2 entries')
  })
})
