// Reads a content folder (content/decks/<deck>/*.md) into a ContentTree. Never throws for
// bad content: every problem is reported with file and line, and good files still load.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ContentProblem } from '../../shared/domain'
import { isPlainName } from '../../shared/plain-name'
import { problem } from './blocks'
import { parseDeckFile } from './parse-deck'
import { parseTopicFile } from './parse-topic'
import { loadDrills } from '../drills/load-drills'
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
  try {
    return { text: utf8.decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n') }
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

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort()
  } catch {
    return []
  }
}

export function loadContentTree(contentDir: string): ContentTree {
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

  for (const deckId of listDir(decksDir)) {
    const deckPath = join(decksDir, deckId)
    if (!statSync(deckPath).isDirectory()) continue
    const deckFile = `decks/${deckId}/deck.md`
    if (!isPlainName(deckId)) {
      tree.problems.push(problem(`decks/${deckId}`, 1, 'a deck folder name must be a plain name (lowercase letters, digits, -)'))
      continue
    }
    if (!existsSync(join(deckPath, 'deck.md'))) {
      tree.problems.push(problem(deckFile, 1, `deck folder \`${deckId}\` has no deck.md (it needs one with a title)`))
      tree.failedDecks.add(deckId)
      continue
    }
    const deckText = readUtf8(join(deckPath, 'deck.md'), deckFile)
    const deck = 'text' in deckText ? parseDeckFile(deckText.text, deckFile, deckId) : { deck: null, problems: [deckText.problem] }
    tree.problems.push(...deck.problems)
    if (!deck.deck) {
      tree.failedDecks.add(deckId)
      continue
    }
    tree.decks.push(deck.deck)

    for (const name of listDir(deckPath)) {
      if (!name.endsWith('.md') || name === 'deck.md') continue
      const file = `decks/${deckId}/${name}`
      const read = readUtf8(join(deckPath, name), file)
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
      for (const item of topic.quizItems) if (claim(item.id, `${file}:${item.line}`, file, item.line)) tree.quizItems.push(item)
    }
  }
  addDrills(contentDir, tree)
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
      tree.problems.push(problem(item.file, item.line, `quiz item \`${item.id}\` links card \`${item.cardId}\`, which does not exist`, 'warning'))
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
      if (!tree.failedDecks.has(drill.deck)) tree.problems.push(problem(file, 1, `drill deck \`${drill.deck}\` does not exist`))
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
