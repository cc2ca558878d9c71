// Anki packages of every generation, built with the structure each Anki version writes
// (test/fixtures/import/anki-package.ts): cards, decks, states, review history and images.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { readRatingHistory } from '../../../src/main/store/review-log'
import { ContentError } from '../../../src/shared/errors'
import { BASIC, declareSize, makePackage, zstd, type AnkiVersion } from '../../fixtures/import/anki-package'
import { CRT, PIXEL, REVIEW_CARD_LOG, samplePackage } from '../../fixtures/import/anki-sample'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { count, one, rows } from './helpers'

function write(bytes: Uint8Array, name = 'deck.apkg'): string {
  const file = join(tempDir(), name)
  writeFileSync(file, bytes)
  return file
}

async function importSample(version: AnkiVersion, name = 'deck.apkg') {
  const { db } = tempDb()
  const mediaDir = join(tempDir(), 'media')
  const summary = await runImport(db, write(makePackage(samplePackage(version)), name), { now: FIXED_NOW, mediaDir })
  return { db, mediaDir, summary }
}

const cardByFront = (db: ReturnType<typeof tempDb>['db'], front: string) =>
  one(db, 'SELECT * FROM cards WHERE front = ?', front)

describe.each([
  ['anki21b (Anki 2.1.50+, default export)', 'anki21b', 'deck.apkg'],
  ['anki21b collection package', 'anki21b', 'collection.colpkg'],
  ['anki21 ("Support older Anki versions")', 'anki21', 'deck.apkg'],
  ['anki2 (Anki before 2.1.28)', 'anki2', 'deck.apkg']
] as const)('Anki package: %s', (_label, version, name) => {
  it('imports every card of the newest collection (never the placeholder), into decks titled with their full paths', async () => {
    const { db, summary } = await importSample(version, name)
    expect(summary).toMatchObject({ format: 'apkg', created: 13 })
    expect(count(db, 'cards')).toBe(13)
    expect(rows(db, "SELECT id FROM cards WHERE front LIKE '%update to the latest Anki%'")).toEqual([])
    expect(rows(db, 'SELECT id, title FROM decks ORDER BY position')).toEqual([
      { id: 'networking', title: 'Networking' },
      { id: 'networking-tcp', title: 'Networking::TCP' },
      { id: 'networking-tcp-handshake', title: 'Networking::TCP::Handshake' }
    ])
    expect(cardByFront(db, 'Default MSS over Ethernet?').deck_id).toBe('networking-tcp')
    expect(cardByFront(db, '**Protocol**\n\nTCP\n\n**Question**\n\nWhich flag starts a connection?').deck_id).toBe(
      'networking-tcp-handshake'
    )
  })

  it('keeps every field: template sides, reversed cards, labelled custom fields, cloze cards per deletion, tags', async () => {
    const { db } = await importSample(version, name)
    expect(cardByFront(db, 'What does **ARP** do?')).toMatchObject({
      back: 'Maps IPv4 addresses to MAC addresses.',
      tags: 'arp layer2',
      kind: 'basic'
    })
    expect(cardByFront(db, 'SYN').back).toBe('synchronize sequence numbers')
    expect(cardByFront(db, 'synchronize sequence numbers').back).toBe('SYN')
    expect(cardByFront(db, '**Protocol**\n\nTCP\n\n**Question**\n\nWhich flag starts a connection?').back).toBe(
      '**Answer**\n\nSYN\n\n**RFC**\n\n9293'
    )
    const cloze = rows(db, "SELECT cloze_ordinal, back FROM cards WHERE kind = 'cloze' ORDER BY cloze_ordinal")
    expect(cloze).toEqual([
      { cloze_ordinal: 1, back: 'RFC 9293' },
      { cloze_ordinal: 2, back: 'RFC 9293' }
    ])
  })

  it('keeps card states: new, learning, review, relearning, suspended, buried, with due times, and flags', async () => {
    const { db } = await importSample(version, name)
    const state = (front: string) => {
      const c = cardByFront(db, front)
      return {
        state: c.state,
        due: c.due,
        suspended: c.suspended,
        buried: c.buried_until !== null && (c.buried_until as number) > FIXED_NOW,
        reps: c.reps,
        lapses: c.lapses
      }
    }
    expect(state('What does **ARP** do?')).toMatchObject({ state: 0, suspended: 0, buried: false })
    expect(state('Default MSS over Ethernet?')).toMatchObject({
      state: 2,
      due: (CRT + 15 * 86_400) * 1000,
      reps: 6,
      lapses: 1,
      suspended: 0
    })
    expect(state('synchronize sequence numbers')).toMatchObject({ state: 1, due: (CRT + 20 * 86_400) * 1000 })
    expect(state('TIME_WAIT lasts?')).toMatchObject({ state: 3, due: (CRT + 21 * 86_400) * 1000, lapses: 2 })
    expect(state('Suspended question')).toMatchObject({ state: 2, suspended: 1, buried: false })
    expect(cardByFront(db, 'Suspended question').flag).toBe(3) // green; the high bits of `flags` are not the flag
    expect(state('Buried question')).toMatchObject({ state: 2, suspended: 0, buried: true })
    // A card in a filtered deck goes home, with its home due.
    expect(cardByFront(db, 'In a filtered deck')).toMatchObject({
      deck_id: 'networking-tcp',
      state: 2,
      due: (CRT + 40 * 86_400) * 1000
    })
    const review = cardByFront(db, 'Default MSS over Ethernet?')
    expect(review.last_review).toBe(REVIEW_CARD_LOG.at(-1)!.id)
    expect(review.stability as number).toBeGreaterThan(0)
    expect(review.scheduled_days).toBe(9)
  })

  it('carries the review history over exactly: count, grades, times and durations, ready for the optimizer', async () => {
    const { db, summary } = await importSample(version, name)
    expect(summary.reviews).toBe(9)
    const id = cardByFront(db, 'Default MSS over Ethernet?').id as string
    const log = rows(
      db,
      'SELECT reviewed_at, rating, state, duration_ms, source FROM review_log WHERE card_id = ? ORDER BY reviewed_at',
      id
    )
    expect(log).toEqual(
      REVIEW_CARD_LOG.map((r, i) => ({
        reviewed_at: r.id,
        rating: r.ease,
        state: [0, 1, 2, 2, 3, 2][i],
        duration_ms: r.time,
        source: 'manual'
      }))
    )
    // A manual reschedule is kept with rating 0, and the optimizer does not read it as an answer.
    const suspended = cardByFront(db, 'Suspended question').id as string
    expect(rows(db, 'SELECT rating FROM review_log WHERE card_id = ?', suspended)).toEqual([{ rating: 0 }])
    const history = [...readRatingHistory(db)]
    expect(history.filter((h) => h.cardId === id).map((h) => h.rating)).toEqual([3, 3, 2, 1, 3, 4])
    expect(history.some((h) => h.cardId === suspended)).toBe(false)
  })

  it('stores packaged images content-addressed and points the card at them; remote images stay links and are reported', async () => {
    const { db, mediaDir, summary } = await importSample(version, name)
    const sha = createHash('sha256').update(PIXEL).digest('hex')
    expect(cardByFront(db, 'Draw the three-way handshake').back).toBe(`![](/media/${sha}.png)`)
    expect(readFileSync(join(mediaDir, `${sha}.png`))).toEqual(Buffer.from(PIXEL))
    expect(summary.media).toBe(1) // unused.png is never inflated or stored
    expect(cardByFront(db, 'Where is the TCP state diagram?').back).toBe(
      '[image: states](https://example.org/tcp.png) and'
    )
    expect(summary.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/1 remote image kept as links, not loaded: https:\/\/example\.org\/tcp\.png/),
        expect.stringMatching(/images the package lacks: gone\.png/)
      ])
    )
  })
})

describe('Anki package: modern format details', () => {
  it('is read from zstd frames without a content size, as Anki writes them', () => {
    const entries = unzipSync(makePackage(samplePackage('anki21b')))
    const frame = entries['collection.anki21b']!
    expect([...frame.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd])
    // Frame header descriptor: Frame_Content_Size_flag (bits 7-6) 0 and Single_Segment_flag (bit 5) 0.
    expect(frame[4]! & 0xe0).toBe(0)
  })

  it('re-importing adds only new answers and takes the state only when Anki has seen a later review', async () => {
    const { db } = tempDb()
    const mediaDir = join(tempDir(), 'media')
    const spec = samplePackage('anki21b')
    await runImport(db, write(makePackage(spec)), { now: FIXED_NOW, mediaDir })
    const before = count(db, 'review_log')
    const again = await runImport(db, write(makePackage(spec)), { now: FIXED_NOW + 1, mediaDir })
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 13, reviews: 0 })
    expect(count(db, 'review_log')).toBe(before)
    const later = REVIEW_CARD_LOG.at(-1)!.id + 9 * 86_400_000
    const more = samplePackage('anki21b', {})
    more.revlog = [...more.revlog!, { id: later, cid: 11, ease: 3, ivl: 20, lastIvl: 9, time: 4000, type: 1 }]
    more.cards = more.cards.map((c) => (c.id === 11 ? { ...c, due: 44, ivl: 20, reps: 7 } : c))
    const third = await runImport(db, write(makePackage(more)), { now: FIXED_NOW + 2, mediaDir })
    expect(third.reviews).toBe(1)
    expect(cardByFront(db, 'Default MSS over Ethernet?')).toMatchObject({
      reps: 7,
      last_review: later,
      scheduled_days: 20
    })
  })

  it('a large package (cards and answers written many rows per statement) keeps every card, state and answer in order', async () => {
    // 253 notes: two full batches of cards and a remainder; every third card new (no history),
    // the rest in review with three answers each (more than seven batches of the log).
    const notes = Array.from({ length: 253 }, (_, n) => ({
      id: 1_700_000_000_000 + n,
      guid: `many-${n}`,
      mid: BASIC.id,
      fields: [`Question ${n}?`, `Answer ${n}.`]
    }))
    const reviewed = (n: number) => n % 3 !== 0
    const cards = notes.map((note, n) => ({
      id: note.id,
      nid: note.id,
      did: 1,
      ...(reviewed(n) ? { type: 2, queue: n % 7 === 1 ? -1 : 2, due: 300 + n, ivl: 8, factor: 2500, reps: 3 } : {})
    }))
    const day = 86_400_000
    const revlog = cards
      .filter((_, n) => reviewed(n))
      .flatMap((card, i) =>
        [1, 3, 4].map((ease, r) => ({
          id: CRT * 1000 + r * 10 * day + i * 60_000,
          cid: card.id,
          ease,
          ivl: 2 ** r,
          lastIvl: r === 0 ? 0 : 2 ** (r - 1),
          time: 1000 + i,
          type: r === 0 ? 0 : 1
        }))
      )
    const { db } = tempDb()
    const summary = await runImport(
      db,
      write(
        makePackage({
          version: 'anki21b',
          crt: CRT,
          noteTypes: [BASIC],
          decks: [{ id: 1, name: 'Many' }],
          notes,
          cards,
          revlog
        })
      ),
      { now: FIXED_NOW, mediaDir: join(tempDir(), 'media') }
    )
    expect(summary).toMatchObject({ created: 253, reviews: revlog.length })
    const stored = rows(db, 'SELECT front, state, suspended, reps, position FROM cards ORDER BY seq')
    expect(stored).toEqual(
      notes.map((_, n) => ({
        front: `Question ${n}?`,
        state: reviewed(n) ? 2 : 0,
        suspended: n % 7 === 1 && reviewed(n) ? 1 : 0,
        reps: reviewed(n) ? 3 : 0,
        position: n
      }))
    )
    // The log in file order: each card's three answers, with their grades, times and durations.
    const log = rows(
      db,
      'SELECT c.front, l.reviewed_at, l.rating, l.duration_ms FROM review_log l JOIN cards c ON c.id = l.card_id ORDER BY l.id'
    )
    expect(log).toEqual(
      revlog.map((r) => ({
        front: `Question ${r.cid - 1_700_000_000_000}?`,
        reviewed_at: r.id,
        rating: r.ease,
        duration_ms: r.time
      }))
    )
  })

  it('a preview counts the answers it would carry over and writes nothing', async () => {
    const { db } = tempDb()
    const before = totalChanges(db)
    const preview = await previewImport(db, write(makePackage(samplePackage('anki21b'))), {
      now: FIXED_NOW,
      mediaDir: join(tempDir(), 'media')
    })
    expect(preview).toMatchObject({ created: 13, reviews: 9 })
    expect(totalChanges(db)).toBe(before)
  })

  it.each([
    [
      'a package with notes but no cards',
      () => makePackage({ ...samplePackage('anki21b'), cards: [], revlog: [] }),
      /no cards; nothing to import/
    ],
    [
      'a package whose every card is unusable',
      () =>
        makePackage({
          ...samplePackage('anki21b'),
          notes: samplePackage('anki21b').notes.map((n) => ({ ...n, fields: ['', ''] }))
        }),
      /none of the package's 13 cards could be imported/
    ],
    [
      'an unknown meta version',
      () => zipSync({ ...unzipSync(makePackage(samplePackage('anki21b'))), meta: new Uint8Array([8, 0]) }),
      /newer Anki/
    ],
    [
      'a damaged media list',
      () =>
        zipSync({
          ...unzipSync(makePackage(samplePackage('anki21b'))),
          media: new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 1])
        }),
      /media list is damaged/
    ]
  ])('refuses %s with a ContentError, never a silent empty import', async (_what, bytes, message) => {
    const { db } = tempDb()
    const attempt = runImport(db, write(bytes()), { now: FIXED_NOW, mediaDir: join(tempDir(), 'media') })
    await expect(attempt).rejects.toBeInstanceOf(ContentError)
    await expect(attempt).rejects.toThrow(message)
    expect(count(db, 'cards')).toBe(0)
  })
})

describe('Anki package: bounded inflating', () => {
  const sixImages = () => {
    const spec = samplePackage('anki21', {})
    const names = Array.from({ length: 6 }, (_, i) => `huge${i}.png`)
    spec.notes = [
      ...spec.notes,
      {
        id: 99,
        guid: 'g-huge',
        mid: spec.noteTypes[0]!.id,
        fields: ['Six huge images', names.map((n) => `<img src="${n}">`).join('')]
      }
    ]
    spec.cards = [...spec.cards, { id: 99, nid: 99, did: spec.decks[1]!.id }]
    spec.media = Object.fromEntries(names.map((n) => [n, new Uint8Array(2 * 1024 * 1024)]))
    let zip = makePackage(spec)
    // Entries 0-5 are the six images: each now claims to unpack to 900 MB.
    for (let i = 0; i < 6; i++) zip = declareSize(zip, String(i), 900 * 1024 * 1024)
    return zip
  }

  it('does not inflate six images that each claim 900 MB: they are reported and the rest imports', async () => {
    const zip = sixImages()
    expect(zip.length).toBeLessThan(3 * 1024 * 1024)
    const { db } = tempDb()
    const summary = await runImport(db, write(zip), { now: FIXED_NOW, mediaDir: join(tempDir(), 'media') })
    expect(summary.created).toBe(14)
    expect(
      summary.warnings.filter((w) => /image huge\d\.png: larger than 32 MB; not imported/.test(w.message))
    ).toHaveLength(6)
  })

  it('never inflates entries no card uses, whatever size they claim', async () => {
    const spec = samplePackage('anki21', {
      extraEntries: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`junk${i}`, new Uint8Array(1024 * 1024)]))
    })
    let zip = makePackage(spec)
    for (let i = 0; i < 6; i++) zip = declareSize(zip, `junk${i}`, 0xfff0_0000)
    const { db } = tempDb()
    await expect(
      runImport(db, write(zip), { now: FIXED_NOW, mediaDir: join(tempDir(), 'media') })
    ).resolves.toMatchObject({ created: 13 })
  })

  it('refuses a collection that claims more than the collection limit, before inflating it', async () => {
    const zip = declareSize(makePackage(samplePackage('anki21')), 'collection.anki21', 0xfff0_0000)
    const { db } = tempDb()
    await expect(runImport(db, write(zip), { now: FIXED_NOW })).rejects.toThrow(/unpacks to more than 512 MB/)
  })

  it('caps a zstd collection by what it really inflates to, not what it claims', async () => {
    const { db } = tempDb()
    // 80 concatenated frames of 8 MB of zeros: 640 MB, a few KB packed.
    const frame = zstd(new Uint8Array(8 * 1024 * 1024))
    const frames = new Uint8Array(frame.length * 80)
    for (let i = 0; i < 80; i++) frames.set(frame, i * frame.length)
    const bomb = zipSync({ 'collection.anki21b': frames, meta: new Uint8Array([8, 3]) })
    expect(bomb.length).toBeLessThan(1024 * 1024)
    await expect(runImport(db, write(bomb), { now: FIXED_NOW })).rejects.toThrow(
      /the collection unpacks to more than 512 MB/
    )
  })
})
