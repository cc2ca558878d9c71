// Reads a content folder (content/decks/<deck>/*.md) into a ContentTree. Never throws for
// bad content: every problem is reported with file and line, and good files still load.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ContentProblem } from '../../shared/domain'
import { isPlainName } from '../../shared/plain-name'
import { problem } from './blocks'
import { confinedFolder, listNames, type ReadLimits } from './confined-read'
import { parseDeckFile } from './parse-deck'
import { parseTopicFile } from './parse-topic'
import { loadDrills } from './load-drills'
import type { ContentTree } from './types'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Reads a file as strict UTF-8; a problem instead of text when it cannot. */
export function readUtf8(path: string, file: string): { text: string } | { problem: ContentProblem } {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    return { problem: problem(file, 1, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`) }
  }
  return decodeUtf8(bytes, file)
}

/** Bytes as strict UTF-8 text (BOM dropped, line ends normalized), or a problem naming the line. */
export function decodeUtf8(bytes: Buffer, file: string): { text: string } | { problem: ContentProblem } {
  try {
    return {
      text: utf8
        .decode(bytes)
        .replace(/^\uFEFF/, '')
        .replace(/\r\n?/g, '\n')
    }
  } catch {
    const text = bytes.toString('latin1')
    const bad = findInvalidUtf8Line(bytes)
    return { problem: problem(file, bad ?? text.split('\n').length, 'the file is not valid UTF-8; save it as UTF-8') }
  }
}

function findInvalidUtf8Line(bytes: Buffer): number | null {
  let start = 0
  let line = 1
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        utf8.decode(bytes.subarray(start, i))
      } catch {
        return line
      }
      start = i + 1
      line++
    }
  }
  return null
}

export interface LoadOptions {
  /** Limits for a folder that is not ours (an import); the shipped library is read without. */
  limits?: ReadLimits
  /** Read content/drills too (default true; an import never brings drills). */
  drills?: boolean
}

/** The shipped library's files are ours: generous limits, still confined to the folder. */
const LIBRARY_LIMITS: ReadLimits = { maxFileBytes: 64 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024 }

export function loadContentTree(contentDir: string, options: LoadOptions = {}): ContentTree {
  const tree: ContentTree = {
    decks: [],
    notes: [],
    cards: [],
    quizItems: [],
    drills: [],
    problems: [],
    failedFiles: new Set(),
    failedDecks: new Set()
  }
  const decksDir = join(contentDir, 'decks')
  const folder = confinedFolder(contentDir, options.limits ?? LIBRARY_LIMITS)
  const readText = (path: string, file: string) => {
    const read = folder.read(path)
    // Skipped for safety: a warning (the rest still loads), and the file counts as failed so
    // content sync keeps the rows it made earlier instead of retiring them.
    return 'skipped' in read
      ? { problem: problem(file, 1, `${file} ${read.skipped}; skipped`, 'warning') }
      : decodeUtf8(read.bytes, file)
  }
  const seen = new Map<string, string>()
  const claim = (id: string, where: string, file: string, line: number): boolean => {
    const first = seen.get(id)
    if (first) {
      tree.problems.push(problem(file, line, `duplicate id \`${id}\` (first used at ${first}); this one is skipped`))
      tree.failedFiles.add(file)
      return false
    }
    seen.set(id, where)
    return true
  }

  for (const deckId of listNames(decksDir)) {
    const deckPath = join(decksDir, deckId)
    const what = folder.kind(deckPath)
    if ('skipped' in what) {
      tree.problems.push(problem(`decks/${deckId}`, 1, `decks/${deckId} ${what.skipped}; skipped`, 'warning'))
      continue
    }
    if (what.kind !== 'directory') continue
    const deckFile = `decks/${deckId}/deck.md`
    if (!isPlainName(deckId)) {
      tree.problems.push(
        problem(`decks/${deckId}`, 1, 'a deck folder name must be a plain name (lowercase letters, digits, -)')
      )
      continue
    }
    if (!listNames(deckPath).includes('deck.md')) {
      tree.problems.push(problem(deckFile, 1, `deck folder \`${deckId}\` has no deck.md (it needs one with a title)`))
      tree.failedDecks.add(deckId)
      continue
    }
    const deckText = readText(join(deckPath, 'deck.md'), deckFile)
    const deck =
      'text' in deckText ? parseDeckFile(deckText.text, deckFile, deckId) : { deck: null, problems: [deckText.problem] }
    tree.problems.push(...deck.problems)
    if (!deck.deck) {
      tree.failedDecks.add(deckId)
      continue
    }
    tree.decks.push(deck.deck)

    for (const name of listNames(deckPath)) {
      if (!name.endsWith('.md') || name === 'deck.md') continue
      const file = `decks/${deckId}/${name}`
      const read = readText(join(deckPath, name), file)
      if ('problem' in read) {
        tree.problems.push(read.problem)
        tree.failedFiles.add(file)
        continue
      }
      const topic = parseTopicFile(read.text, file, deckId)
      tree.problems.push(...topic.problems)
      if (topic.problems.some((p) => p.severity === 'error')) tree.failedFiles.add(file)
      if (topic.note && claim(topic.note.id, `${file}:1`, file, 1)) tree.notes.push(topic.note)
      for (const card of topic.cards) if (claim(card.id, `${file}:${card.line}`, file, card.line)) tree.cards.push(card)
      for (const item of topic.quizItems)
        if (claim(item.id, `${file}:${item.line}`, file, item.line)) tree.quizItems.push(item)
    }
  }
  if (options.drills !== false) addDrills(contentDir, tree)
  // A card whose note lost its id to a duplicate stands alone rather than pointing nowhere.
  const noteIds = new Set(tree.notes.map((n) => n.id))
  for (const card of tree.cards) if (card.noteId && !noteIds.has(card.noteId)) card.noteId = null
  // New cards are introduced in deck order: by file name, then by place in the file.
  tree.cards.forEach((card, index) => (card.position = index))
  tree.quizItems.forEach((item, index) => (item.position = index))
  // A note and the cards of another file may not share ids, but a quiz item may link a card
  // in any deck; a link to a card that does not exist is worth a warning.
  // A link may name a cloze block (`tcp-flags`), meaning all of its cards.
  const cardIds = new Set(tree.cards.flatMap((c) => [c.id, c.id.replace(/#c\d+$/, '')]))
  for (const item of tree.quizItems) {
    if (item.cardId && !cardIds.has(item.cardId)) {
      tree.problems.push(
        problem(
          item.file,
          item.line,
          `quiz item \`${item.id}\` links card \`${item.cardId}\`, which does not exist`,
          'warning'
        )
      )
    }
  }
  return tree
}

/**
 * Drills (content/drills/<id>/) become a drill row and a `drill:<id>` card that carries the
 * drill's FSRS state. The runner reads the rest of the folder when the drill runs.
 */
function addDrills(contentDir: string, tree: ContentTree): void {
  const { drills, errors } = loadDrills(contentDir)
  for (const error of errors) {
    tree.problems.push(problem(error.file, error.line, error.message))
    const folder = /^drills\/([^/]+)/.exec(error.file)?.[1]
    if (folder) tree.failedFiles.add(`drills/${folder}/drill.md`)
  }
  const deckIds = new Set(tree.decks.map((d) => d.id))
  for (const drill of drills) {
    const file = `drills/${drill.id}/drill.md`
    if (!deckIds.has(drill.deck)) {
      if (!tree.failedDecks.has(drill.deck))
        tree.problems.push(problem(file, 1, `drill deck \`${drill.deck}\` does not exist`))
      tree.failedFiles.add(file)
      continue
    }
    tree.drills.push({
      id: drill.id,
      deckId: drill.deck,
      title: drill.title,
      meta: { difficulty: drill.difficulty, cards: drill.cards, timeLimitMs: drill.timeLimitMs },
      file,
      line: 1
    })
    tree.cards.push({
      id: `drill:${drill.id}`,
      deckId: drill.deck,
      noteId: null,
      kind: 'drill',
      clozeOrdinal: null,
      front: drill.title,
      back: '',
      tags: ['drill'],
      drills: [drill.id],
      position: 0,
      file,
      line: 1
    })
  }
}
