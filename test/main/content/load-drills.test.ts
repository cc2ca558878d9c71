// loadDrills on real folders in a temp dir: good drills load, each broken one is reported with
// file and line while the others still load.
import { describe, expect, it } from 'vitest'
import { loadDrills } from '../../../src/main/content/load-drills'
import { tempDir, writeTree } from '../../helpers/temp'

const DRILL_MD = `---
id: good-drill
title: A good drill
deck: tcp-vs-udp
cards: [tuv-length-prefix, tuv-stream-vs-datagram#c2]
difficulty: stretch
timeLimitMs: 7000
trace: [tcp, tls]
---

Do the task.

\`\`\`
::: hint
inside a fence: part of the task
:::
\`\`\`

::: hint
First hint.
:::

More task.

::: hint
Second hint.
:::
`

const CODE = {
  'starter.ts': 'export {}\n',
  'solution.ts': 'export {}\n',
  'visible.test.ts': "import { test } from 'retransmit:test'\ntest('v', () => {})\n",
  'hidden.test.ts': "import { test } from 'retransmit:test'\ntest('h', () => {})\n"
}

function drillFiles(id: string, md: string, extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = { [`drills/${id}/drill.md`]: md, ...extra }
  for (const [name, text] of Object.entries(CODE)) files[`drills/${id}/${name}`] ??= text
  return files
}

describe('loadDrills', () => {
  it('loads a drill: fields, defaults, task, hints in order, support modules', () => {
    const root = tempDir()
    writeTree(root, drillFiles('good-drill', DRILL_MD, { 'drills/good-drill/frames.ts': 'export const x = 1\n' }))
    const { drills, errors } = loadDrills(root)
    expect(errors).toEqual([])
    expect(drills).toHaveLength(1)
    const d = drills[0]
    expect(d).toMatchObject({
      id: 'good-drill',
      title: 'A good drill',
      deck: 'tcp-vs-udp',
      cards: ['tuv-length-prefix', 'tuv-stream-vs-datagram#c2'],
      difficulty: 'stretch',
      timeLimitMs: 7000,
      memoryLimitMb: 256,
      trace: ['tcp', 'tls'],
      hints: ['First hint.', 'Second hint.'],
      starter: 'export {}\n',
      visibleTests: CODE['visible.test.ts'],
      support: { frames: 'export const x = 1\n' }
    })
    expect(d?.task).toContain('Do the task.')
    expect(d?.task).toContain('More task.')
    expect(d?.task).toContain('inside a fence: part of the task')
    expect(d?.task).not.toContain('First hint.')
  })

  it('a mutants/ folder (wrong solutions for the mutation test) is neither a support module nor an error', () => {
    const root = tempDir()
    writeTree(
      root,
      drillFiles('good-drill', DRILL_MD, {
        'drills/good-drill/mutants/off-by-one.patch': 'Bug: off by one.\n--- solution.ts\n+++ off-by-one.ts\n'
      })
    )
    const { drills, errors } = loadDrills(root)
    expect(errors).toEqual([])
    expect(drills[0]?.support).toEqual({})
  })

  it('uses the defaults when optional fields are absent', () => {
    const root = tempDir()
    writeTree(root, drillFiles('plain', '---\nid: plain\ntitle: Plain\ndeck: dns\n---\n\nTask.\n'))
    const [d] = loadDrills(root).drills
    expect(d).toMatchObject({
      cards: [],
      difficulty: 'core',
      timeLimitMs: 5000,
      memoryLimitMb: 256,
      trace: ['tcp', 'udp', 'tls', 'http', 'ws', 'dns'],
      hints: []
    })
  })

  it('reports each broken folder with file and line, and still loads the good one', () => {
    const root = tempDir()
    writeTree(root, {
      ...drillFiles('good-drill', DRILL_MD),
      ...drillFiles('typo-field', '---\nid: typo-field\ntitle: T\ndeck: dns\ntittle: oops\n---\n\nTask.\n'),
      ...drillFiles('bad-yaml', '---\nid: bad-yaml\ntitle: [unclosed\ndeck: dns\n---\n\nTask.\n'),
      ...drillFiles('wrong-id', '---\nid: other-id\ntitle: T\ndeck: dns\n---\n\nTask.\n'),
      ...drillFiles('open-hint', '---\nid: open-hint\ntitle: T\ndeck: dns\n---\n\nTask.\n\n::: hint\nnever closed\n'),
      ...drillFiles('bad-limit', '---\nid: bad-limit\ntitle: T\ndeck: dns\ntimeLimitMs: 999999\n---\n\nTask.\n'),
      'drills/no-tests/drill.md': '---\nid: no-tests\ntitle: T\ndeck: dns\n---\n\nTask.\n',
      'drills/no-tests/starter.ts': 'export {}\n',
      'drills/no-tests/solution.ts': 'export {}\n',
      'drills/Bad_Name/drill.md': 'x',
      ...drillFiles('nested-test', '---\nid: nested-test\ntitle: T\ndeck: dns\n---\n\nTask.\n', {
        'drills/nested-test/visible.test.ts':
          "import { test } from 'retransmit:test'\nfor (const n of [1, 2]) {\n  test(`case ${n}`, () => {})\n}\n",
        'drills/nested-test/hidden.test.ts': '// no tests at all\n'
      })
    })
    const { drills, errors } = loadDrills(root)
    expect(drills.map((d) => d.id)).toEqual(['good-drill'])
    const byFile = (file: string) => errors.filter((e) => e.file === file).map((e) => [e.line, e.message])
    expect(byFile('drills/typo-field/drill.md')).toEqual([[5, expect.stringMatching(/unknown field 'tittle'/)]])
    expect(byFile('drills/bad-yaml/drill.md')[0]?.[1]).toMatch(/invalid YAML/)
    expect(byFile('drills/wrong-id/drill.md')).toEqual([[2, "id 'other-id' must equal the folder name 'wrong-id'"]])
    expect(byFile('drills/open-hint/drill.md')).toEqual([[9, expect.stringMatching(/not closed/)]])
    expect(byFile('drills/bad-limit/drill.md')).toEqual([
      [5, expect.stringMatching(/'timeLimitMs' must be a whole number from 1 to 30000/)]
    ])
    expect(byFile('drills/no-tests/visible.test.ts')).toEqual([[1, expect.stringMatching(/missing visible\.test\.ts/)]])
    expect(byFile('drills/no-tests/hidden.test.ts')).toHaveLength(1)
    expect(errors.some((e) => e.file.startsWith('drills/Bad_Name') && /not a plain name/.test(e.message))).toBe(true)
    // The host counts each file's test( declarations: one in a loop, or none, is refused with its line.
    expect(byFile('drills/nested-test/visible.test.ts')).toEqual([
      [3, expect.stringMatching(/must be a top-level call/)],
      [1, expect.stringMatching(/declares no test/)]
    ])
    expect(byFile('drills/nested-test/hidden.test.ts')).toEqual([[1, expect.stringMatching(/declares no test/)]])
  })

  it('an empty or missing drills folder is no drills and no errors', () => {
    expect(loadDrills(tempDir())).toEqual({ drills: [], errors: [] })
  })
})
