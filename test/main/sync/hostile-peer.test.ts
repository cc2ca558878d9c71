// A peer that holds the token but is not Retransmit: it registers a log document and a drills
// document of its own with entries no Retransmit writes. An honest device takes in the one real
// answer and the one real drill session and attempt, reports each bad entry (and bad mark,
// setting, draft, session, attempt and quiz item) with its reason, and keeps an answer for a card it lacks
// until the card comes.
import * as A from '@automerge/automerge'
import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo'
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeAnswer } from '../../../src/main/sync/answers'
import { createDeviceSync } from '../../../src/main/sync/device-sync'
import { startSyncServer } from '../../../src/main/sync/server'
import { createSettingsService } from '../../../src/main/study/settings'
import { createSettingsStore } from '../../../src/main/store/settings'
import { testCollection } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'

const TOKEN = 'hostile-peer-token-0123456789abcdef'
const AT = Date.UTC(2026, 2, 2, 9, 0, 0)

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

describe('answers from a peer that is not Retransmit', () => {
  it('refuses malformed values with the reason', () => {
    expect(() => decodeAnswer('x:1', 'alpha-1\t1\t3\t0')).toThrow(/synced answer x:1 is malformed/)
    expect(() => decodeAnswer('x:1', 'alpha-1\t1796115600000\t5\t0\treview')).toThrow(/malformed/)
    expect(() => decodeAnswer('x:1', 'alpha-1\t-4\t3\t0\treview')).toThrow(/malformed/)
    expect(() => decodeAnswer('x:1', 'alpha-1\t1796115600000\t3\t0\tmanual')).toThrow(/malformed/)
    expect(() => decodeAnswer('x:1', '\t1796115600000\t3\t0\treview')).toThrow(/malformed/)
    expect(decodeAnswer('x:1', 'alpha-1\t1796115600000\t3\t250\tquiz')).toEqual({
      uid: 'x:1',
      cardId: 'alpha-1',
      reviewedAt: 1796115600000,
      rating: 3,
      durationMs: 250,
      source: 'quiz'
    })
  })

  it('takes the real answer, reports the bad entries and keeps the answer for an unknown card', async () => {
    const server = await startSyncServer({ port: 0, dataDir: tempDir('retransmit-sync-server-'), token: TOKEN })
    cleanups.push(() => server.close())
    const address = `http://127.0.0.1:${server.port}`

    const peer = new Repo({ network: [new WebSocketClientAdapter(`ws://127.0.0.1:${server.port}/?token=${TOKEN}`)] })
    cleanups.push(() => peer.shutdown())
    const index = await peer.find<Record<string, A.ImmutableString>>(server.indexUrl as AutomergeUrl)
    const log: DocHandle<Record<string, unknown>> = peer.create({
      'peer:1': new A.ImmutableString(`alpha-1\t${AT}\t3\t1000\treview`),
      'peer:2': new A.ImmutableString(`alpha-1\t${AT}\t9\t1000\treview`),
      'peer:3': new A.ImmutableString('not an answer'),
      'peer:4': { nested: 'object' },
      'peer:5': new A.ImmutableString(`no-such-card\t${AT}\t3\t1000\treview`),
      // An undo of another device's answer, in this peer's document: only its giver can undo it.
      'laptop:1-00000000': new A.ImmutableString('undone')
    })
    index.change((d) => void (d['log:2026-03:peer'] = new A.ImmutableString(log.url)))
    // Drill records: one real session and attempt, and five that no Retransmit writes.
    const record = (value: unknown) => new A.ImmutableString(JSON.stringify(value))
    const attempt = { drill: 'tcp-echo', session: 'peer:s1-0', at: AT, mode: 'submit', status: 'pass' }
    const counts = { passed: 3, total: 3, durationMs: 10, hintsUsed: 1, grade: 3, code: 'x', result: '{}' }
    const drills: DocHandle<Record<string, unknown>> = peer.create({
      'session:peer:s1-0': record({
        drill: 'tcp-echo',
        openedAt: AT,
        timed: true,
        endedAt: null,
        events: [[AT, 'hint', 1]]
      }),
      'attempt:peer:a1-0': record({ ...attempt, ...counts }),
      'attempt:peer:a2-0': record({ ...attempt, ...counts, mode: 'run', grade: 4 }),
      'attempt:peer:a3-0': record({ ...attempt, ...counts, passed: 4 }),
      'session:peer:s2-0': record({
        drill: 'tcp-echo',
        openedAt: AT,
        timed: true,
        endedAt: null,
        events: [[AT, 'hint', 0]]
      }),
      'attempt:laptop:a1-0': record({ ...attempt, ...counts, session: null }),
      'peer:notes': new A.ImmutableString('not a drill record')
    })
    index.change((d) => void (d['drills:2026-03:peer'] = new A.ImmutableString(drills.url)))
    // Marks (suspend, flag, tags, bury) in the edits document: one real, two that no Retransmit writes.
    const edits = await peer.find<Record<string, unknown>>(String(index.doc().edits) as AutomergeUrl)
    edits.change((d) => {
      d['mark:alpha-1:peer'] = new A.ImmutableString(JSON.stringify({ suspended: [1, AT] }))
      d['mark:alpha-2:peer'] = new A.ImmutableString(JSON.stringify({ flag: [9, AT] }))
      d['mark:beta-1:peer'] = new A.ImmutableString('not a record')
      // A move to a deck id no Retransmit makes (empty).
      d['mark:beta-1:peer2'] = new A.ImmutableString(JSON.stringify({ deck: ['', AT] }))
      // A setting the app would refuse (retention is 0.7 to 0.97).
      d['setting:scheduling:peer'] = new A.ImmutableString(JSON.stringify({ desiredRetention: [5, AT] }))
      // A drill draft whose code is not text.
      d['draft:dns-server:peer'] = new A.ImmutableString(JSON.stringify({ code: [42, AT] }))
      // Quiz items: one real, one that does not parse, one whose block is another item.
      const quiz = (id: string, type: string) => ({
        block: `::: quiz ${id} ${type}\nanswer: true\nIs it?\n:::`,
        deck: new A.ImmutableString('alpha')
      })
      d['quiz:peer-q'] = quiz('peer-q', 'truefalse')
      d['quiz:peer-bad'] = quiz('peer-bad', 'riddle')
      d['quiz:peer-other'] = quiz('someone-else', 'truefalse')
    })
    // The server holds both before the device asks (its copy of the index names the log).
    await new Promise<void>((resolve) => {
      const check = () => {
        const storageId = Object.values(peer.peerMetadataByPeerId)[0]?.storageId
        const heads = storageId ? index.getRemoteHeads(storageId) : undefined
        const held = (handle: DocHandle<unknown>) =>
          storageId !== undefined && handle.getRemoteHeads(storageId)?.join() === handle.heads().join()
        if (heads && heads.join() === index.heads().join() && held(edits) && held(drills)) resolve()
      }
      index.on('remote-heads', check)
      edits.on('remote-heads', check)
      drills.on('remote-heads', check)
      check()
    })

    const collection = testCollection()
    const sync = createDeviceSync({
      db: collection.db,
      dataDir: tempDir('retransmit-device-'),
      settings: createSettingsService({ db: collection.db, store: createSettingsStore(collection.db) }),
      clock: () => AT + 60_000,
      tzOffset: () => 0
    })
    sync.configure({ server: address, token: TOKEN })
    const status = await sync.syncNow()
    expect(status.lastError).toBe('')
    expect(status.lastReport).toMatchObject({ received: 1, drillsReceived: 2, refusedCount: 16 })
    expect(status.lastReport!.refused.join('\n')).toMatch(/peer:2 is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/peer:3 is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/peer:4 is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/mark:alpha-2:peer: flag is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/mark:beta-1:peer is not JSON/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/mark:beta-1:peer2: deck is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/setting:scheduling:peer: desiredRetention is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/draft:dns-server:peer: code is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/laptop:1-00000000 is undone in another device's document/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/attempt:peer:a2-0: grade is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/attempt:peer:a3-0: passed is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/session:peer:s2-0: events is malformed/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/attempt:laptop:a1-0 is another device's, in peer's document/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/peer:notes is not a drill record/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/quiz:peer-bad: line 1: a quiz block needs a type/)
    expect(status.lastReport!.refused.join('\n')).toMatch(/quiz:peer-other: the block is quiz item someone-else/)
    const quizItems = collection.db.prepare("SELECT id, deck_id AS deckId, type FROM quiz_items WHERE origin = 'user'")
    expect(quizItems.all()).toEqual([{ id: 'peer-q', deckId: 'alpha', type: 'truefalse' }])
    const taken = collection.db.prepare(`
      SELECT a.uid, s.uid AS session, s.device, (SELECT count(*) FROM drill_session_events e WHERE e.session_id = s.id) AS events
        FROM drill_attempts a JOIN drill_sessions s ON s.id = a.session_id`)
    expect(taken.all()).toEqual([{ uid: 'peer:a1-0', session: 'peer:s1-0', device: 'peer', events: 1 }])
    const marks = collection.db.prepare(
      "SELECT id, suspended, flag FROM cards WHERE id IN ('alpha-1', 'alpha-2') ORDER BY id"
    )
    expect(marks.all()).toEqual([
      { id: 'alpha-1', suspended: 1, flag: 0 },
      { id: 'alpha-2', suspended: 0, flag: 0 }
    ])
    const rows = collection.db.prepare('SELECT uid, card_id AS cardId, rating FROM review_log').all()
    expect(rows).toEqual([{ uid: 'peer:1', cardId: 'alpha-1', rating: 3 }])
    const pending = collection.db.prepare('SELECT uid, card_id AS cardId FROM sync_pending').all()
    expect(pending).toEqual([{ uid: 'peer:5', cardId: 'no-such-card' }])
    // A second round finds nothing new and reports nothing again.
    const again = await sync.syncNow()
    expect(again.lastReport).toMatchObject({ received: 0, drillsReceived: 0, refusedCount: 0 })
  })
})
