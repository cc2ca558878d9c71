import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { shutdownRunner } from '../../../src/main/drills'
import { runCli as run } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'

const SHIPPED = join(import.meta.dirname, '..', '..', '..', 'content')

afterAll(() => shutdownRunner())

describe('retransmit import and export', () => {
  it('previews with --dry-run, imports, and re-imports idempotently, reporting progress', async () => {
    const dataDir = tempDir()
    const csv = join(tempDir(), 'cards.csv')
    writeFileSync(
      csv,
      'front,back,tags\n"What is RTT?","Round-trip time, in ms",latency\n"MSS?","Max segment size","tcp mss"\n'
    )
    const dry = await run(['import', csv, '--dry-run', '--json', '--deck', 'My CSV', '--data-dir', dataDir])
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.out)).toMatchObject({ format: 'csv', created: 2, items: expect.any(Array) })
    expect(
      JSON.parse((await run(['stats', '--json', '--data-dir', dataDir])).out).decks.map((d: { id: string }) => d.id)
    ).not.toContain('my-csv')
    const real = await run(['import', csv, '--json', '--deck', 'My CSV', '--data-dir', dataDir])
    expect(JSON.parse(real.out)).toEqual({
      deck: 'my-csv',
      format: 'csv',
      created: 2,
      updated: 0,
      unchanged: 0,
      table: expect.objectContaining({ header: true, columns: ['front', 'back', 'tags'] }),
      warnings: []
    })
    expect(real.progress.at(-1)).toBe(1)
    const again = await run(['import', csv, '--json', '--deck', 'My CSV', '--data-dir', dataDir])
    expect(JSON.parse(again.out)).toMatchObject({ created: 0, unchanged: 2 })
    const out = tempDir()
    const exported = await run(['export', '--deck', 'my-csv', '--out', out, '--data-dir', dataDir])
    expect(exported.code).toBe(0)
    expect(existsSync(join(out, 'decks', 'my-csv', 'deck.md'))).toBe(true)
  })

  it('maps columns with --columns and reads a first row as data with --no-header', async () => {
    const dataDir = tempDir()
    const tsv = join(tempDir(), 'export.tsv')
    writeFileSync(tsv, 'note\tWhat is RTT?\tRound-trip time\tlatency\nnote\tMSS?\tMax segment size\ttcp\n')
    const dry = await run(['import', tsv, '--dry-run', '--columns', 'ignore,front,back,tags', '--data-dir', dataDir])
    expect(dry.code).toBe(0)
    expect(dry.out).toContain('column 1 -> ignore, column 2 -> front, column 3 -> back, column 4 -> tags')
    expect(dry.err).toContain('column 1 ("column 1") is ignored')
    const real = await run([
      'import',
      tsv,
      '--json',
      '--no-header',
      '--columns',
      'ignore,front,back,tags',
      '--data-dir',
      dataDir
    ])
    expect(JSON.parse(real.out)).toMatchObject({ created: 2, table: { header: false, rows: 2 } })
    const bad = await run(['import', tsv, '--columns', 'front,answer', '--data-dir', dataDir])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain(
      "--columns takes a comma-separated list of front, back, tags, deck, ignore (got 'answer')"
    )
  })

  it('refuses bad input with exit 2 and writes nothing', async () => {
    const dataDir = tempDir()
    const binary = join(tempDir(), 'blob.bin')
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7]))
    const result = await run(['import', binary, '--data-dir', dataDir])
    expect(result.code).toBe(2)
    expect(result.err).toMatch(/retransmit: /)
    expect((await run(['import', '--data-dir', dataDir])).code).toBe(2)
    expect((await run(['export', '--data-dir', dataDir])).code).toBe(2)
  })
})

describe('retransmit drill', () => {
  const env = { RETRANSMIT_CONTENT_DIR: SHIPPED }

  it('lists the shipped drills', async () => {
    const { code, out } = await run(['drill', 'list', '--json', '--data-dir', tempDir()], env)
    expect(code).toBe(0)
    const { drills } = JSON.parse(out)
    expect(drills.map((d: { id: string }) => d.id)).toContain('tcp-length-prefix-echo')
    expect(drills[0]).toMatchObject({ lastSubmit: null, attempts: 0, due: null })
  })

  it('lists stretch tests apart; a Submit that fails only a stretch test passes (exit 0)', async () => {
    // The HTTP reference without its "100 Continue": every ordinary test passes, one stretch test fails.
    const reference = readFileSync(join(SHIPPED, 'drills', 'http-server-raw', 'solution.ts'), 'utf8')
    const file = join(tempDir(), 'solution.ts')
    writeFileSync(file, reference.replace("socket.write('HTTP/1.1 100 Continue\\r\\n\\r\\n')", '// no 100 Continue'))
    expect(readFileSync(file, 'utf8')).toContain('// no 100 Continue')
    const result = await run(
      ['drill', 'run', 'http-server-raw', '--submit', '--file', file, '--data-dir', tempDir()],
      env
    )
    expect(result.code).toBe(0)
    const [core = '', stretch = ''] = result.out.split('Stretch (not needed to pass):')
    expect(core).not.toContain('100-continue')
    expect(stretch).toMatch(/FAIL +Expect: 100-continue/)
    expect(stretch).toMatch(/PASS +an absolute-form target/)
    expect(stretch).toMatch(/PASS +a slowloris client/)
    expect(result.out).toMatch(/^PASS: \d+\/\d+ tests passed .*Stretch \(not needed to pass\): 2 of 3 passed\./m)
  })

  it('runs the reference solution (exit 0) and a broken file (exit 1), and writes a starter folder', async () => {
    const solution = await run(['drill', 'run', 'tcp-length-prefix-echo', '--solution', '--json'], env)
    expect(solution.code).toBe(0)
    expect(JSON.parse(solution.out)).toMatchObject({ drill: 'tcp-length-prefix-echo', status: 'pass' })
    const dataDir = tempDir()
    const folder = tempDir()
    const started = await run(['drill', 'start', 'tcp-length-prefix-echo', '--out', folder, '--data-dir', dataDir], env)
    expect(started.code).toBe(0)
    expect(readdirSync(folder).sort()).toEqual(['README.md', 'retransmit-test.d.ts', 'solution.ts', 'visible.test.ts'])
    const starter = await run(
      ['drill', 'run', 'tcp-length-prefix-echo', '--file', join(folder, 'solution.ts'), '--data-dir', dataDir],
      env
    )
    expect(starter.code).toBe(1)
    expect(starter.out).toMatch(/FAIL/)
    writeFileSync(join(folder, 'broken.ts'), 'export function startServer( {')
    const broken = await run(
      ['drill', 'run', 'tcp-length-prefix-echo', '--file', join(folder, 'broken.ts'), '--json', '--data-dir', dataDir],
      env
    )
    expect(broken.code).toBe(1)
    expect(JSON.parse(broken.out).status).toBe('error')
    expect(readFileSync(join(folder, 'README.md'), 'utf8')).toContain('retransmit drill run tcp-length-prefix-echo')
    expect((await run(['drill', 'run', 'no-such-drill', '--data-dir', dataDir], env)).code).toBe(2)
    expect((await run(['drill', 'frobnicate'], env)).code).toBe(2)
  })
})
