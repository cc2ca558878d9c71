// Anki packages (.apkg, .colpkg) of every generation into an ImportPlan: every Anki card
// becomes a card (with its state and review history), every deck that holds cards a deck
// titled with its full path (`Networking::TCP`), and the images the notes show are stored.
import { hash as digestOf } from 'node:crypto'
import { ContentError } from '../../shared/errors'
import { mediaExtension, mediaPath } from '../../shared/media'
import { cardSides, type CardSides } from './anki/card-sides'
import { readAnkiCollection, type AnkiCard, type AnkiCollection, type AnkiReview } from './anki/collection'
import { occlusionKind, occlusionSides, withViewBox, type OcclusionMedia } from './anki/occlusion'
import { openAnkiPackage } from './anki/package'
import { translateCard, translateReviews } from './anki/schedule'
import { htmlToMarkdown, localImageNames } from './html-to-markdown'
import { normalizeTagList, slugify, stableId } from './ids'
import { emptyPlan, type ImportPlan, type PlannedDeck, type PlannedMedia } from './types'

export { isZip } from './anki/package'

export interface ApkgContext {
  file: string
  deckName?: string
  fallbackName: string
  onProgress?: (fraction: number) => void
}

/** Report progress every this many cards. */
const PROGRESS_CARDS = 500
/** Anki's built-in deck for cards not put anywhere else. */
const DEFAULT_DECK_ID = 1

export function parseApkg(bytes: Uint8Array, ctx: ApkgContext): ImportPlan {
  const pkg = openAnkiPackage(bytes, ctx.file)
  const anki = readAnkiCollection(pkg.collection, ctx.file)
  const plan: ImportPlan = { ...emptyPlan('apkg', ctx.file), media: [] }
  if (anki.cards.length === 0) {
    throw new ContentError(
      ctx.file,
      1,
      `the package holds ${anki.notes.length} note${anki.notes.length === 1 ? '' : 's'} but no cards; nothing to import`
    )
  }

  const deckFor = deckNamer(anki, ctx, plan.decks)
  const media = storeMedia(pkg, anki, plan)
  const mediaUrls = media.urls
  const occlusionMedia = occlusionStore(plan)
  const reviewsByCard = groupReviews(anki.reviews)
  const notesById = new Map(anki.notes.map((n, i) => [n.id, { note: n, line: i + 1 }]))
  let dropped = 0
  const remote = new Set<string>()
  const converted = new Map<number, string[]>()
  const markdownOf = (noteId: number, fields: string[]) => {
    let out = converted.get(noteId)
    if (!out) {
      out = fields.map((html) => {
        const result = htmlToMarkdown(html, { mediaUrl: (name) => mediaUrls.get(name) ?? null })
        dropped += result.droppedMedia
        for (const url of result.remoteImages) remote.add(url)
        return result.markdown
      })
      converted.set(noteId, out)
    }
    return out
  }

  anki.cards.forEach((card, index) => {
    if (ctx.onProgress && index % PROGRESS_CARDS === 0) ctx.onProgress(index / anki.cards.length)
    const found = notesById.get(card.nid)
    if (!found) {
      plan.warnings.push({ line: 1, message: `card ${card.id} belongs to no note in the package; skipped` })
      return
    }
    // An .apkg has no lines; warnings count notes instead (1-based, in creation order).
    const { note, line } = found
    const type = anki.noteTypes.get(note.mid)
    if (!type)
      plan.warnings.push({
        line,
        message: `note ${line} uses a note type missing from the package; its fields are imported unlabelled`
      })
    const deckId = deckFor(card.did)
    const occlusion = occlusionKind(type, note.fields)
    let sides: CardSides
    if (occlusion && type) {
      const drawn = occlusionSides(
        occlusion,
        type,
        markdownOf(note.id, note.fields),
        note.fields,
        card.ord,
        occlusionMedia
      )
      if ('problem' in drawn) {
        plan.warnings.push({
          line,
          message: `note ${line} (image occlusion, card ${card.ord + 1}): ${drawn.problem}; skipped`
        })
        return
      }
      sides = drawn
    } else sides = cardSides(type, markdownOf(note.id, note.fields), card.ord)
    // Keyed on the deck and the note's guid, as earlier versions of this importer did, so
    // re-importing a package updates the cards it created then.
    const base = stableId(deckId, 'anki', note.guid)
    const tags = normalizeTagList(note.tags)
    const history = translateReviews(reviewsByCard.get(card.id) ?? [])
    const shared = {
      deckId,
      noteId: null,
      front: sides.front,
      back: sides.back,
      tags,
      drills: [],
      line,
      schedule: translateCard(card, history, anki.crt),
      reviews: history.reviews
    }
    if (sides.front.length === 0) {
      plan.warnings.push({
        line,
        message: `note ${line} (${type?.name ?? 'unknown type'}) shows nothing on the front of card ${card.ord + 1}; skipped`
      })
      return
    }
    if (type?.cloze && !occlusion) {
      const ordinal = card.ord + 1
      if (!sides.front.includes(`{{c${ordinal}::`)) {
        plan.warnings.push({
          line,
          message: `note ${line} has a cloze card ${ordinal} but no {{c${ordinal}::...}} deletion; skipped`
        })
        return
      }
      plan.cards.push({ ...shared, id: `${base}#c${ordinal}`, kind: 'cloze', clozeOrdinal: ordinal })
      return
    }
    if (sides.back.length === 0)
      plan.warnings.push({
        line,
        message: `note ${line} (${type?.name ?? 'unknown type'}) has an empty answer on card ${card.ord + 1}; imported as it is`
      })
    // An Anki occlusion card keeps the id it would have had as the cloze card it is in Anki.
    const id = occlusion === 'anki' ? `${base}#c${card.ord + 1}` : card.ord === 0 ? base : `${base}#t${card.ord + 1}`
    plan.cards.push({ ...shared, id, kind: 'basic', clozeOrdinal: null })
  })
  if (plan.cards.length === 0) {
    const reasons = plan.warnings
      .slice(0, 3)
      .map((w) => w.message)
      .join('; ')
    throw new ContentError(
      ctx.file,
      1,
      `none of the package's ${anki.cards.length} cards could be imported: ${reasons}`
    )
  }
  if (dropped > 0) {
    const missing =
      media.missing.length > 0
        ? `; images the package lacks: ${media.missing.slice(0, 5).join(', ')}${media.missing.length > 5 ? ', …' : ''}`
        : ''
    plan.warnings.push({
      line: 1,
      message: `${dropped} media reference${dropped === 1 ? '' : 's'} (sounds, videos, missing images) skipped${missing}`
    })
  }
  if (remote.size > 0) {
    const list = [...remote].slice(0, 5).join(', ')
    plan.warnings.push({
      line: 1,
      message: `${remote.size} remote image${remote.size === 1 ? '' : 's'} kept as links, not loaded: ${list}${remote.size > 5 ? ', …' : ''}`
    })
  }
  ctx.onProgress?.(1)
  return plan
}

/** Maps an Anki deck id to a planned deck (created on first use), titled with its full path. */
function deckNamer(anki: AnkiCollection, ctx: ApkgContext, decks: PlannedDeck[]): (did: number) => string {
  const used = [...new Set(anki.cards.map((c) => c.did))]
  const given = ctx.deckName?.trim()
  const pathOf = (did: number) => {
    const path = anki.decks.get(did)
    return !path || path.length === 0 || (did === DEFAULT_DECK_ID && path.join('::') === 'Default')
      ? [ctx.fallbackName]
      : path
  }
  const titleOf = (did: number) => {
    if (given) return used.length <= 1 ? given : [given, ...pathOf(did)].join('::')
    return pathOf(did).join('::')
  }
  const ids = new Map<number, string>()
  // Parents before children: sorted by path, so Home lists a deck's subdecks right after it.
  for (const did of used.sort((a, b) => titleOf(a).localeCompare(titleOf(b)))) {
    const title = titleOf(did)
    const id = slugify(title)
    ids.set(did, id)
    if (!decks.some((d) => d.id === id)) decks.push({ id, title, description: '' })
  }
  return (did) => ids.get(did)!
}

function groupReviews(reviews: AnkiReview[]): Map<number, AnkiReview[]> {
  const out = new Map<number, AnkiReview[]>()
  for (const r of reviews) {
    const list = out.get(r.cid)
    if (list) list.push(r)
    else out.set(r.cid, [r])
  }
  return out
}

/** Stored images by served path, for occlusion cards; generated masks join the plan's media. */
function occlusionStore(plan: ImportPlan): OcclusionMedia {
  const media = (plan.media ??= [])
  const byPath = new Map(media.map((m) => [mediaPath(m.sha256, m.ext), m]))
  return {
    bytes: (path) => byPath.get(path)?.bytes,
    storeSvg(svg) {
      const bytes = new TextEncoder().encode(svg)
      const sha256 = digestOf('sha256', bytes, 'hex')
      const path = mediaPath(sha256, 'svg')
      if (!byPath.has(path)) {
        const stored: PlannedMedia = { sha256, ext: 'svg', bytes }
        byPath.set(path, stored)
        media.push(stored)
      }
      return path
    }
  }
}

/** Reads the images the notes show, hashes them, and returns note file name -> served URL. */
function storeMedia(
  pkg: ReturnType<typeof openAnkiPackage>,
  anki: AnkiCollection,
  plan: ImportPlan
): { urls: Map<string, string>; missing: string[] } {
  const wanted = new Set<string>()
  const carded = new Set(anki.cards.map((c: AnkiCard) => c.nid))
  for (const note of anki.notes) {
    if (!carded.has(note.id)) continue
    for (const field of note.fields) for (const name of localImageNames(field)) wanted.add(name)
  }
  const kept = [...wanted].filter((name) => mediaExtension(name) !== null)
  const { files, problems } = pkg.readMedia(kept)
  const urls = new Map<string, string>()
  const stored = new Map<string, PlannedMedia>()
  for (const [name, read] of files) {
    const ext = mediaExtension(name)!
    const bytes = ext === 'svg' ? withViewBox(read) : read
    const sha256 = digestOf('sha256', bytes, 'hex')
    urls.set(name, mediaPath(sha256, ext))
    if (!stored.has(`${sha256}.${ext}`)) stored.set(`${sha256}.${ext}`, { sha256, ext, bytes })
  }
  plan.media = [...stored.values()]
  const notImages = [...wanted].filter((name) => mediaExtension(name) === null)
  if (notImages.length > 0)
    plan.warnings.push({
      line: 1,
      message: `${notImages.length} image${notImages.length === 1 ? '' : 's'} of a type that is not kept (${notImages.slice(0, 3).join(', ')})`
    })
  for (const problem of problems.filter((p) => !p.missing))
    plan.warnings.push({ line: 1, message: `image ${problem.name}: ${problem.reason}; not imported` })
  return { urls, missing: problems.filter((p) => p.missing).map((p) => p.name) }
}
