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
    expect(Object.keys(decks[0]).sort()).toEqual([
      'cards',
      'description',
      'drills',
      'due',
      'id',
      'learning',
      'new',
      'notes',
      'quizItems',
      'review',
      'title'
    ])
    expect(decks[0]).toMatchObject({
      id: 'alpha',
      title: 'Alpha deck',
      notes: 1,
      cards: 2,
      quizItems: 0,
      new: 2,
      due: 0
    })
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
  it("shows control characters from users' files escaped, keeping newlines and tabs", async () => {
    const { terminalSafe } = await import('../../../src/main/doors/cli')
    expect(terminalSafe('title\u001b]52;c;ZXZpbA==\u0007 end')).toBe('title\\u{1b}]52;c;ZXZpbA==\\u{7} end')
    expect(terminalSafe('a\tb\nc')).toBe('a\tb\nc')
  })
})

describe('--json output (issue 15)', () => {
  // A deck title holding C1 controls (U+0085, U+009B: CSI on some terminals), DEL and ESC.
  const title = 'Tricky \u0085 \u009b31m \u007f \u001b[2J end'

  async function trickyContent(): Promise<string> {
    const { writeTree } = await import('../../helpers/temp')
    const { deckMd } = await import('../../helpers/content')
    const content = fixtureContent()
    // YAML's double-quoted escapes: the file itself holds no control characters.
    writeTree(content, { 'decks/alpha/deck.md': deckMd('"Tricky \\x85 \\x9b31m \\x7f \\e[2J end"', 'position: 1\n') })
    return content
  }

  it('is valid JSON that round-trips U+007F-U+009F, with no raw control character in it', async () => {
    const { code, out } = await run(['stats', '--json', '--data-dir', tempDir()], {
      RETRANSMIT_CONTENT_DIR: await trickyContent()
    })
    expect(code).toBe(0)
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/)
    expect(JSON.parse(out).decks[0].title).toBe(title)
    // An outside parser agrees: Python's json module reads the same text back.
    const { spawnSync } = await import('node:child_process')
    const python = spawnSync(
      'python3',
      ['-c', 'import json,sys; print(ascii(json.load(sys.stdin)["decks"][0]["title"]))'],
      { input: out, encoding: 'utf8' }
    )
    expect(python.status).toBe(0)
    expect(python.stdout.trim()).toBe("'Tricky \\x85 \\x9b31m \\x7f \\x1b[2J end'")
  })

  it('escapes the same characters for the terminal in human output', async () => {
    const { terminalSafe } = await import('../../../src/main/doors/cli')
    expect(terminalSafe(title)).toBe('Tricky \\u{85} \\u{9b}31m \\u{7f} \\u{1b}[2J end')
  })
})
