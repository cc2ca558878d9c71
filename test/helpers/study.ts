// A collection with a fixed clock and UTC "local" time, for learning-loop tests.
import { afterAll } from 'vitest'
import { openCollection, type Collection } from '../../src/main/app/collection'
import type { Handlers } from '../../src/shared/api'
import { cardBlock, clozeBlock, deckMd, topicMd } from './content'
import { fixedClock, tempDir, writeTree } from './temp'

const opened: Collection[] = []
afterAll(() => {
  for (const c of opened.splice(0)) c.close()
})

export interface StudyFixture {
  collection: Collection
  handlers: Handlers
  clock: ReturnType<typeof fixedClock>
  dataDir: string
  contentDir: string
}

/** Deck `net` with cards n1..n{count} in order, deck `other` with o1..o3 and a cloze block. */
export function studyFixture(count = 5, start?: number): StudyFixture {
  const content = tempDir('retransmit-content-')
  writeTree(content, {
    'decks/net/deck.md': deckMd('Net', 'position: 1\n'),
    'decks/net/cards.md': topicMd({
      id: 'net-note',
      blocks: Array.from({ length: count }, (_v, i) => cardBlock(`n${i + 1}`))
    }),
    'decks/other/deck.md': deckMd('Other', 'position: 2\n'),
    'decks/other/cards.md': topicMd({
      id: 'other-note',
      blocks: [cardBlock('o1'), cardBlock('o2'), cardBlock('o3'), clozeBlock('oz', '{{c1::a}} {{c2::b}}')]
    })
  })
  const clock = fixedClock(start)
  const dataDir = tempDir('retransmit-data-')
  // No automatic backups (as testCollection): a backup still copying when the test deletes the
  // folder only logs noise. test/main/app/backups.test.ts exercises them.
  const collection = openCollection({
    dataDir,
    contentDir: content,
    door: 'cli',
    clock,
    tzOffset: () => 0,
    autoBackup: false
  })
  opened.push(collection)
  return { collection, handlers: collection.handlers, clock, dataDir, contentDir: content }
}
