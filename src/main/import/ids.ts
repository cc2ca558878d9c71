// Stable ids for imported rows: a plain-name slug of the deck plus a short hash of a key that
// does not change when the source is re-exported (a question's text, a CSV front, an Anki guid),
// so importing the same file twice updates rows in place instead of duplicating them.
import { hash as digestOf } from 'node:crypto'

/** Longest deck slug kept in an entity id, leaving room for `-<hash>` and `#cNNN`. */
const PREFIX_MAX = 60
/**
 * Hex digits of the hash (64 bits): a million rows in one deck collide with odds about 3e-8.
 * Ids made before were 10 digits (40 bits: a million rows collided with odds near one half);
 * those rows are still found by their old id (see legacyIdOf).
 */
const HASH_CHARS = 16
const LEGACY_HASH_CHARS = 10

/** A plain name (`/^[a-z0-9][a-z0-9-]{0,79}$/`) made from any text; `fallback` when nothing is left. */
export function slugify(text: string, fallback = 'imported', max = 80): string {
  const full = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (full.length === 0) return fallback
  if (full.length <= max) return full
  // Cut short, a long name keeps a hash of all of it: two decks whose paths share their first
  // 80 characters (`Repository::Part I::1. …`, `Repository::Part I::2. …`) stay two decks.
  const digest = digestOf('sha256', full, 'hex').slice(0, 8)
  return `${full.slice(0, max - digest.length - 1).replace(/-+$/, '')}-${digest}`
}

/** `<deck slug>-<hash of deck, kind and key>`: the same inputs always give the same id. */
export function stableId(deckId: string, kind: string, key: string): string {
  const prefix = deckId.slice(0, PREFIX_MAX).replace(/-+$/, '')
  const digest = digestOf('sha256', `${deckId}\n${kind}\n${key}`, 'hex').slice(0, HASH_CHARS)
  return `${prefix}-${digest}`
}

/** The id the same row had when ids carried 10 hex digits, or null for an id not made here. */
export function legacyIdOf(id: string): string | null {
  const match = /^(.*-)([0-9a-f]{16})(#[ct]\d+)?$/.exec(id)
  return match ? `${match[1]}${match[2]!.slice(0, LEGACY_HASH_CHARS)}${match[3] ?? ''}` : null
}

/** Turns repeated keys into distinct ones (`key`, `key\n2`, `key\n3`) in order of appearance. */
export function keyDeduper(): (key: string) => string {
  const seen = new Map<string, number>()
  return (key) => {
    const count = (seen.get(key) ?? 0) + 1
    seen.set(key, count)
    return count === 1 ? key : `${key}\n${count}`
  }
}

/** Question text reduced to what identifies it: case, spacing and markup do not matter. */
export function normalizeKey(text: string): string {
  return text.toLowerCase().replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim()
}

/** Tags from free text: lowercase, spaces inside a tag become `-`, duplicates dropped. */
export function normalizeTagList(tags: string[]): string[] {
  const out = tags
    .map((t) =>
      t
        .trim()
        .toLowerCase()
        .replace(/[\s,]+/g, '-')
    )
    .filter((t) => t.length > 0)
  return [...new Set(out)]
}
