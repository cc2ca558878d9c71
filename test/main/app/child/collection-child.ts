// A child process on a real collection, for the crash and two-writer tests. Every line it
// prints is written synchronously after the call it reports has returned, that is, after
// its transaction committed.
//   answer DATA_DIR COUNT         answers cards round-robin (COUNT 0: until killed); prints `ack <cardId>`
//   import DATA_DIR COUNT         imports COUNT CSV decks of 100 cards; prints `imported <deck>`
//   settings DATA_DIR COUNT FIELD after a line on stdin, sets global FIELD to 1..COUNT; prints `lost <i>` when
//                                 the field no longer held its last value (another writer's update undid it)
//   decks DATA_DIR COUNT          after a line on stdin, creates COUNT decks titled Shared; prints `deck <id>`
//                                 or `error <message>`
import { writeSync } from 'node:fs'
import { openCollection } from '../../../../src/main/app/collection'
import type { BrowseRow } from '../../../../src/shared/study'

const [mode, dataDir, countText, field] = process.argv.slice(2)
const count = Number(countText ?? '0')
const say = (line: string) => writeSync(1, line + '\n')

const collection = openCollection({ dataDir: dataDir!, contentDir: null, door: 'cli', log: () => {} })
const { handlers } = collection

if (mode === 'answer') {
  const { rows } = (await handlers.browseCards({
    query: '',
    sort: 'position',
    descending: false,
    limit: 1000,
    offset: 0
  })) as { rows: BrowseRow[] }
  const ids = rows.map((r) => r.id).filter((id) => !id.startsWith('drill:'))
  // Round-robin grades make leeches; suspending them would refuse later answers to them.
  await handlers.updateSettings({ settings: { leechAction: 'tag' } })
  say('ready')
  for (let i = 0; count === 0 || i < count; i++) {
    const cardId = ids[i % ids.length]!
    await handlers.answerCard({ cardId, rating: ((i % 4) + 1) as 1 | 2 | 3 | 4, durationMs: i % 60_000 })
    say(`ack ${cardId}`)
  }
} else if (mode === 'import') {
  say('ready')
  for (let i = 0; i < count; i++) {
    const deck = `imported-${process.pid}-${i}`
    const rows = Array.from({ length: 100 }, (_, n) => `"Q ${i}.${n}?","A ${i}.${n}.",t${i}`)
    const csv = Buffer.from(`front,back,tags\n${rows.join('\n')}\n`).toString('base64')
    await handlers.runImport({ fileName: `${deck}.csv`, dataBase64: csv, deck })
    say(`imported ${deck}`)
  }
} else if (mode === 'settings' || mode === 'decks') {
  say('ready')
  // Both writers start together: the test writes a line to each once both are ready.
  await new Promise((resolve) => process.stdin.once('data', resolve))
  process.stdin.pause()
  for (let i = 1; i <= count; i++) {
    try {
      if (mode === 'decks') {
        say(`deck ${(await handlers.createDeck({ title: 'Shared' })).id}`)
        continue
      }
      const key = field as 'newPerDay' | 'reviewsPerDay'
      if (i > 1 && (await handlers.getSettings({})).global[key] !== i - 1) say(`lost ${i}`)
      await handlers.updateSettings({ settings: key === 'newPerDay' ? { newPerDay: i } : { reviewsPerDay: i } })
    } catch (error) {
      say(`error ${error instanceof Error ? error.message : String(error)}`)
    }
  }
} else {
  throw new Error(`unknown mode ${mode}`)
}
await collection.settled()
collection.close()
say('done')
