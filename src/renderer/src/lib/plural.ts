/**
 * A whole number as English writes it, with a comma every three digits ("1,204"). Not
 * `toLocaleString('en')`: each call builds an ICU number formatter, and Home's 200 of them took
 * 67–185 ms in Chromium here (a fresh page's first `Intl.NumberFormat` alone costs 46–73 ms);
 * this takes 0.5 ms for the same 200. Anything but a safe integer (and -0) still goes through Intl.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en')
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',')
}

/** "1 card", "2 cards", "1,204 reviews": a count and its noun, singular only for exactly one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}
