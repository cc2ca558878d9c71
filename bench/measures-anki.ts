// Importing a large Anki package: 20,000 notes (one card each), 100,000 review rows and 500
// images, built in the modern format (anki21b: zstd, schema 18, protobuf media map), against
// the reference of inflating the package and reading its collection alone (unzip, zstd, open
// the SQLite file, read every note, card and review row).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zstdDecompressSync } from 'node:zlib'
import Database from 'better-sqlite3'
import { unzipSync } from 'fflate'
import { openCollection } from '../src/main/app/collection'
import { BASIC, makePackage, type CardSpec, type NoteSpec, type RevlogSpec } from '../test/fixtures/import/anki-package'
import { seeded, words } from './random'
import { progress } from './report'

export const ANKI_NOTES = 20_000
export const ANKI_REVIEWS = 100_000
export const ANKI_IMAGES = 500
const DAY_MS = 86_400_000
/** Collection creation: 2025-01-01, seconds. */
const CRT = Date.UTC(2025, 0, 1) / 1000

/** The package's bytes, and a path to it on disk. */
export function buildAnkiPackage(
  noteCount = ANKI_NOTES,
  reviewCount = ANKI_REVIEWS,
  imageCount = ANKI_IMAGES
): { path: string; bytes: Uint8Array; dir: string } {
  const random = seeded(21)
  const notes: NoteSpec[] = []
  const cards: CardSpec[] = []
  const revlog: RevlogSpec[] = []
  const media: Record<string, Uint8Array> = {}
  const reviewsPerCard = reviewCount / noteCount
  for (let i = 0; i < imageCount; i++) {
    // Distinct bytes per image (a PNG signature, then noise), about 2 KB each.
    const bytes = new Uint8Array(2048)
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    for (let b = 8; b < bytes.length; b++) bytes[b] = Math.floor(random() * 256)
    media[`figure-${i}.png`] = bytes
  }
  const imageEvery = noteCount / imageCount
  for (let n = 0; n < noteCount; n++) {
    const id = 1_700_000_000_000 + n
    const image = n % imageEvery === 0 ? `<br><img src="figure-${n / imageEvery}.png">` : ''
    notes.push({
      id,
      guid: `bench-${n}`,
      mid: BASIC.id,
      fields: [`${words(random, 8)}?`, `<b>${words(random, 4)}</b> ${words(random, 16)}.${image}`],
      tags: ['bench', `group${n % 50}`]
    })
    const start = CRT * 1000 + (n % 300) * DAY_MS
    let ivl = 1
    for (let r = 0; r < reviewsPerCard; r++) {
      const ease = random() < 0.1 ? 1 : random() < 0.8 ? 3 : 4
      const next = ease === 1 ? 1 : ivl * 2
      revlog.push({
        id: start + r * 7 * DAY_MS + n,
        cid: id,
        ease,
        ivl: next,
        lastIvl: ivl,
        time: 4000 + Math.floor(random() * 8000),
        type: r === 0 ? 0 : ease === 1 ? 2 : 1
      })
      ivl = next
    }
    cards.push({
      id,
      nid: id,
      did: 1,
      type: 2,
      queue: 2,
      due: 300 + (n % 100),
      ivl,
      factor: 2500,
      reps: reviewsPerCard
    })
  }
  const bytes = makePackage({
    version: 'anki21b',
    crt: CRT,
    noteTypes: [BASIC],
    decks: [{ id: 1, name: 'Default' }],
    notes,
    cards,
    revlog,
    media
  })
  const dir = mkdtempSync(join(tmpdir(), 'retransmit-bench-anki-'))
  const path = join(dir, 'bench-20k.apkg')
  writeFileSync(path, bytes)
  return { path, bytes, dir }
}

/** The reference: unzip, zstd, open the collection and read every note, card and review row. */
export function inflateAndRead(bytes: Uint8Array): number {
  const entries = unzipSync(bytes)
  const collection = zstdDecompressSync(entries['collection.anki21b']!)
  // SQLite cannot open an in-memory copy in WAL mode (header bytes 18 and 19): rollback mode.
  collection[18] = collection[19] = 1
  const db = new Database(collection, { readonly: true })
  try {
    const notes = db.prepare('SELECT id, guid, mid, tags, flds FROM notes').all().length
    const cards = db.prepare('SELECT * FROM cards').all().length
    const reviews = db.prepare('SELECT * FROM revlog').all().length
    return notes + cards + reviews
  } finally {
    db.close()
  }
}

export async function measureAnkiImport(runs: number): Promise<{
  imports: number[]
  reference: number[]
  created: number
  reviews: number
  media: number
  packageBytes: number
}> {
  progress('Anki import: building the package')
  const built = buildAnkiPackage()
  const imports: number[] = []
  const reference: number[] = []
  let summary = { created: 0, reviews: 0, media: 0 }
  try {
    for (let run = 0; run < runs; run++) {
      progress(`Anki import: reference, run ${run + 1} / ${runs}`)
      let started = performance.now()
      const rows = inflateAndRead(built.bytes)
      reference.push(performance.now() - started)
      if (rows !== ANKI_NOTES * 2 + ANKI_REVIEWS) throw new Error(`the reference read ${rows} rows`)
      progress(`Anki import: import, run ${run + 1} / ${runs}`)
      const dataDir = mkdtempSync(join(tmpdir(), 'retransmit-bench-anki-data-'))
      const collection = openCollection({
        dataDir,
        contentDir: null,
        door: 'cli',
        syncOnOpen: false,
        autoBackup: false
      })
      try {
        started = performance.now()
        const result = await collection.handlers.importFile({ path: built.path })
        imports.push(performance.now() - started)
        summary = { created: result.created, reviews: result.reviews ?? 0, media: result.media ?? 0 }
      } finally {
        collection.close()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } finally {
    rmSync(built.dir, { recursive: true, force: true })
  }
  progress('')
  if (summary.created !== ANKI_NOTES || summary.reviews !== ANKI_REVIEWS || summary.media !== ANKI_IMAGES)
    throw new Error(
      `the Anki import kept ${summary.created} cards, ${summary.reviews} reviews, ${summary.media} images`
    )
  return { imports, reference, ...summary, packageBytes: built.bytes.length }
}
