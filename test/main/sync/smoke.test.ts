import { describe, expect, it } from 'vitest'
import { startSyncServer } from '../../../src/main/sync/server'
import { fixtureContent } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'
import { startDevice } from './devices'

describe('smoke', () => {
  it('two devices', async () => {
    const server = await startSyncServer({ port: 0, dataDir: tempDir('srv-'), token: 'x'.repeat(32) })
    const content = fixtureContent()
    const a = await startDevice('a', tempDir('a-'), content)
    const b = await startDevice('b', tempDir('b-'), content)
    for (const d of [a, b]) await d.send({ cmd: 'configure', server: `http://127.0.0.1:${server.port}`, token: 'x'.repeat(32) })
    const dumpA = await a.send<any>({ cmd: 'dump' })
    console.log(dumpA.cards.map((c: any) => c.id))
    await a.send({ cmd: 'answer', cardId: dumpA.cards[0].id, rating: 3 })
    console.log(await a.send({ cmd: 'sync' }))
    console.log(await b.send({ cmd: 'sync' }))
    const dumpB = await b.send<any>({ cmd: 'dump' })
    console.log(dumpB.answers, dumpB.integrity)
    console.log("closing a"); await a.close(); console.log("closing b"); await b.close(); console.log("server"); await server.close(); console.log("done")
  })
})
