import { it } from 'vitest'
import { Session } from 'node:inspector/promises'
import { writeFileSync, existsSync } from 'node:fs'
import { openCollection } from '../../src/main/app/collection'
import { buildCollection, TIERS, deckId } from '../build-collection'
import type { QueueState } from '../../src/shared/study'
it('prof', async () => {
  let dir = process.env.DIR
  if (!dir || !existsSync(dir)) { dir = buildCollection(process.cwd() + '/content', TIERS[0]!).dataDir; console.log('DIR', dir) }
  const c = openCollection({ dataDir: dir, contentDir: process.cwd() + '/content', door: 'cli', autoBackup: false, syncOnOpen: false })
  const h = c.handlers
  const s = new Session(); s.connect()
  await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 50 }); await s.post('Profiler.start')
  const t0 = performance.now(); let n = 0
  for (let d = 0; d < 50 && n < 3000; d++) {
    let st = h.getQueue({ deckId: deckId(d) }) as QueueState
    for (let i = 0; i < 100 && st.card; i++, n++) st = h.answerCard({ cardId: st.card.id, rating: 3, durationMs: 4000, deckId: deckId(d) }) as QueueState
  }
  const answerMs = (performance.now() - t0) / n
  const t1 = performance.now(); for (let i = 0; i < 1000; i++) h.getQueue({})
  const queueMs = (performance.now() - t1) / 1000
  const { profile } = await s.post('Profiler.stop')
  writeFileSync('/tmp/perf.cpuprofile', JSON.stringify(profile))
  console.log('answer avg', answerMs, 'queue avg', queueMs)
  c.close()
}, 900000)
