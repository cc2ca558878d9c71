import { describe, expect, it } from 'vitest'
import { version } from '../../../package.json'
import { fixtureContent } from '../../helpers/collection'
import { runCli as run } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'

describe('retransmit CLI', () => {
  it('prints stats as JSON with the documented fields', async () => {
    const { code, out } = await run(['stats', '--json', '--data-dir', tempDir()])
    expect(code).toBe(0)
    const { decks } = JSON.parse(out)
    expect(decks).toHaveLength(2)
    expect(Object.keys(decks[0]).sort()).toEqual(['cards', 'description', 'drills', 'due', 'id', 'learning', 'new', 'notes', 'quizItems', 'review', 'title'])
    expect(decks[0]).toMatchObject({ id: 'alpha', title: 'Alpha deck', notes: 1, cards: 2, quizItems: 0, new: 2, due: 0 })
    expect(decks[1]).toMatchObject({ id: 'beta', notes: 0, cards: 1, quizItems: 1 })
  })

  it('takes the data folder from RETRANSMIT_DATA_DIR', async () => {
    const dir = tempDir()
    const { code } = await run(['stats'], { RETRANSMIT_DATA_DIR: dir })
    expect(code).toBe(0)
    const { existsSync } = await import('node:fs')
    expect(existsSync(`${dir}/collection.sqlite`)).toBe(true)
  })

  it('searches with --json', async () => {
    const { code, out } = await run(['search', 'handshake', '--json', '--data-dir', tempDir()])
    expect(code).toBe(0)
    const { results } = JSON.parse(out)
    expect(results[0]).toMatchObject({ id: 'alpha-1', deck: 'alpha', kind: 'card' })
    expect(Object.keys(results[0]).sort()).toEqual(['deck', 'id', 'kind', 'snippet', 'title'])
  })

  it('exits 2 for bad usage and 0 for help and version', async () => {
    expect((await run(['frobnicate'])).code).toBe(2)
    expect((await run(['search'])).code).toBe(2)
    expect((await run(['stats', '--bogus'])).code).toBe(2)
    expect((await run(['serve', '--port', 'x'])).code).toBe(2)
    expect((await run([])).code).toBe(2)
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.out).toContain('--data-dir')
    expect(await run(['--version'])).toMatchObject({ code: 0, out: version })
  })

  it('exits 1 when content has errors, and reports file:line', async () => {
    const { writeTree } = await import('../../helpers/temp')
    const content = fixtureContent()
    writeTree(content, { 'decks/alpha/bad.md': '---\nid: bad\nwat: 1\n---\n' })
    const result = await run(['check'], { RETRANSMIT_CONTENT_DIR: content })
    expect(result.code).toBe(1)
    expect(result.out).toContain('decks/alpha/bad.md:3: error')
  })
})

describe('terminal output', () => {
  it('shows control characters from users\' files escaped, keeping newlines and tabs', async () => {
    const { terminalSafe } = await import('../../../src/main/doors/cli')
    expect(terminalSafe('title\u001b]52;c;ZXZpbA==\u0007 end')).toBe('title\\u{1b}]52;c;ZXZpbA==\\u{7} end')
    expect(terminalSafe('a\tb\nc')).toBe('a\tb\nc')
  })
})
