// Reading and checking typed answers to generated practice items: numbers with an optional unit,
// IPv4 addresses, yes/no. Pure; the rules are documented in README.md (Generated practice).
import type { Random } from '../../../shared/seeded-random'

/** A numeric answer is right when it is within this fraction of the exact value: 1 %, so three significant figures always pass. */
export const RELATIVE_TOLERANCE = 0.01

/** Unit names a learner may type after a number, each with its factor to the quantity's base unit. */
export type Units = Record<string, number>

export const TIME_UNITS: Units = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  ms: 1e-3,
  msec: 1e-3,
  millisecond: 1e-3,
  milliseconds: 1e-3,
  us: 1e-6,
  μs: 1e-6,
  usec: 1e-6,
  microsecond: 1e-6,
  microseconds: 1e-6
}
export const BYTE_UNITS: Units = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  kilobyte: 1e3,
  kilobytes: 1e3,
  mb: 1e6,
  megabyte: 1e6,
  megabytes: 1e6,
  gb: 1e9,
  gigabyte: 1e9,
  gigabytes: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3
}
export const RATE_UNITS: Units = {
  'bit/s': 1,
  bps: 1,
  'kbit/s': 1e3,
  kbps: 1e3,
  'mbit/s': 1e6,
  mbps: 1e6,
  'gbit/s': 1e9,
  gbps: 1e9
}
export const COUNT_UNITS: Units = { segment: 1, segments: 1, rtt: 1, rtts: 1, round: 1, rounds: 1, 'round trips': 1 }

/** NFKC (so the micro sign becomes μ), lower case, white space collapsed, a final full stop dropped. */
function tidy(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/\.$/, '').trim()
}

/**
 * A typed quantity in the base unit of `units`, or null if it is not a number optionally followed by
 * one of those units. No unit means `assumedUnit`. Thousands separators (`,` `_` or a space before
 * each group of three digits) are allowed; a decimal comma is not (it would be ambiguous).
 */
export function readQuantity(text: string, units: Units, assumedUnit: string): number | null {
  const grouped = tidy(text).replace(/(\d)[,_ ](?=\d{3}(?!\d))/g, '$1')
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(.*)$/.exec(grouped)
  if (!match) return null
  const value = Number(match[1])
  const unit = match[2]!.trim() || assumedUnit
  const factor = units[unit]
  if (factor === undefined || !Number.isFinite(value)) return null
  return value * factor
}

/** Whether `text` is a quantity within RELATIVE_TOLERANCE of `exact` (both in the base unit). */
export function quantityMatches(text: string, exact: number, units: Units, assumedUnit: string): boolean {
  const given = readQuantity(text, units, assumedUnit)
  if (given === null) return false
  return Math.abs(given - exact) <= RELATIVE_TOLERANCE * Math.abs(exact)
}

/** Whether `text` is exactly the whole number `exact`, optionally followed by one of `units` (factor 1 only). */
export function integerMatches(text: string, exact: number, units: Units = {}): boolean {
  const match = /^([+-]?\d+)\s*(.*)$/.exec(tidy(text).replace(/^\//, ''))
  if (!match) return false
  const unit = match[2]!.trim()
  if (unit && units[unit] !== 1) return false
  return Number(match[1]) === exact
}

/** An IPv4 address in dotted-quad form as a 32-bit unsigned number, or null. */
export function readIPv4(text: string): number | null {
  const parts = text.trim().split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.')
}

/** The 32-bit mask of a prefix length, as an unsigned number. */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

/** true for yes, false for no, null for anything else. */
export function readYesNo(text: string): boolean | null {
  const t = tidy(text)
  if (['yes', 'y', 'true', 'in', 'inside'].includes(t)) return true
  if (['no', 'n', 'false', 'out', 'outside'].includes(t)) return false
  return null
}

/** `value` to `digits` significant figures, with thousands separators, never in exponent form. */
export function significant(value: number, digits = 3): string {
  return new Intl.NumberFormat('en-US', { maximumSignificantDigits: digits }).format(value)
}

/** A uniformly drawn element of `list`. */
export function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!
}

/** A uniformly drawn whole number in [low, high]. */
export function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1))
}
