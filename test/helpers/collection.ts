// A real collection on a temp data folder, fed by a small fixture content folder.
import { afterAll } from 'vitest'
import { openCollection, type Collection } from '../../src/main/app/collection'
import { cardBlock, deckMd, quizBlock, topicMd } from './content'
import { fixedClock, tempDir, writeTree } from './temp'

const opened: Collection[] = []
afterAll(() => {
  for (const c of opened.splice(0)) c.close()
})

export function fixtureContent(): string {
  const dir = tempDir('retransmit-content-')
  writeTree(dir, {
    'decks/alpha/deck.md': deckMd('Alpha deck', 'position: 1\n'),
    'decks/alpha/one.md': topicMd({
      id: 'alpha-note',
      blocks: [cardBlock('alpha-1', 'What is a handshake?'), cardBlock('alpha-2')]
    }),
    'decks/beta/deck.md': deckMd('Beta deck', 'position: 2\n'),
    'decks/beta/two.md': topicMd({
      id: 'beta-note',
      note: '',
      blocks: [cardBlock('beta-1'), quizBlock('beta-q', 'truefalse', 'Yes?\n---\nYes.', 'answer: true\n')]
    })
  })
  return dir
}

export function testCollection(door: 'cli' | 'http' | 'electron' = 'http', clock = fixedClock()): Collection {
  // No automatic backups: most tests close the collection and delete its folder at once;
  // test/main/app/backups.test.ts exercises them.
  const collection = openCollection({
    dataDir: tempDir('retransmit-data-'),
    contentDir: fixtureContent(),
    door,
    clock,
    autoBackup: false
  })
  opened.push(collection)
  return collection
}
