// loadMutants on real folders: a mutant is solution.ts plus its patch; a patch that no longer fits
// the solution (or is not a mutant at all) stops the load with its file, line and mutant name. The
// shipped mutants are checked against GNU patch, an outside reader of the same format.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadDrills } from '../../../src/main/content/load-drills'
import { loadMutants, MutantError } from '../../../src/main/content/load-mutants'
import { tempDir, writeTree } from '../../helpers/temp'

const SOLUTION = [
  "import net from 'node:net'",
  '',
  'export function start(): net.Server {',
  '  const server = net.createServer((socket) => {',
  "    socket.on('error', () => {})",
  '    socket.pipe(socket)',
  '  })',
  '  return server',
  '}',
  ''
].join('\n')

const DESTROY = `Bug: destroys the socket on 'end', dropping queued bytes.
--- solution.ts
+++ destroy-on-end.ts
@@ -4,5 +4,6 @@
   const server = net.createServer((socket) => {
     socket.on('error', () => {})
-    socket.pipe(socket)
+    socket.on('data', (chunk) => socket.write(chunk))
+    socket.on('end', () => socket.destroy())
   })
   return server
`

function drillWith(mutants: Record<string, string>): string {
  const root = tempDir()
  const files: Record<string, string> = {}
  for (const [name, text] of Object.entries(mutants)) files[`drills/echo/mutants/${name}`] = text
  writeTree(root, files)
  return root
}

function loadError(root: string, solution = SOLUTION): MutantError {
  try {
    loadMutants(root, 'echo', solution)
  } catch (e) {
    if (e instanceof MutantError) return e
    throw e
  }
  throw new Error('loadMutants accepted the folder')
}

describe('loadMutants', () => {
  it('builds each mutant as the solution with its patch applied, named by its file', () => {
    const [m, ...rest] = loadMutants(drillWith({ 'destroy-on-end.patch': DESTROY }), 'echo', SOLUTION)
    expect(rest).toEqual([])
    expect(m?.name).toBe('destroy-on-end')
    expect(m?.bug).toBe("destroys the socket on 'end', dropping queued bytes.")
    expect(m?.code).toBe(
      SOLUTION.replace(
        '    socket.pipe(socket)\n',
        "    socket.on('data', (chunk) => socket.write(chunk))\n    socket.on('end', () => socket.destroy())\n"
      )
    )
  })

  it('still applies when the solution gains lines above the hunk (the hunk is found by its context)', () => {
    const moved = SOLUTION.replace("'node:net'\n", "'node:net'\n\n// A comment added later.\n")
    const [m] = loadMutants(drillWith({ 'destroy-on-end.patch': DESTROY }), 'echo', moved)
    expect(m?.code).toContain("socket.on('end', () => socket.destroy())")
    expect(m?.code).toContain('// A comment added later.')
  })

  it('fails loudly, with file, hunk line and mutant name, when the solution changed under a patch', () => {
    const edited = SOLUTION.replace('socket.pipe(socket)', 'socket.pipe(socket, { end: true })')
    const e = loadError(drillWith({ 'destroy-on-end.patch': DESTROY }), edited)
    expect(e.file).toBe('drills/echo/mutants/destroy-on-end.patch')
    expect(e.line).toBe(4)
    expect(e.message).toContain("mutant 'destroy-on-end' no longer applies to solution.ts: hunk @@ -4,5 +4,6 @@")
  })

  it('refuses a patch without its Bug line, one that is not a diff, and a stray file', () => {
    expect(loadError(drillWith({ 'x.patch': DESTROY.split('\n').slice(1).join('\n') })).message).toBe(
      "drills/echo/mutants/x.patch:1: mutant 'x' must open with a line 'Bug: <what is wrong>'"
    )
    expect(loadError(drillWith({ 'y.patch': 'Bug: something wrong here.\nsocket.destroy()\n' })).message).toContain(
      "mutant 'y' must hold one unified diff"
    )
    expect(loadError(drillWith({ 'old-copy.ts': '// Bug: a whole copy.\nexport {}\n' })).message).toBe(
      'drills/echo/mutants/old-copy.ts:1: not a mutant: this folder holds only <name>.patch files'
    )
  })
})

describe('the shipped mutants', () => {
  const contentDir = fileURLToPath(new URL('../../../content', import.meta.url))
  const { drills } = loadDrills(contentDir)
  const gnuPatch = existsSync('/usr/bin/patch') ? '/usr/bin/patch' : null

  it.skipIf(!gnuPatch)('each is what GNU patch makes of solution.ts (skipped where /usr/bin/patch is absent)', () => {
    let checked = 0
    const out = join(tempDir(), 'out.ts')
    for (const drill of drills) {
      for (const m of loadMutants(contentDir, drill.id, drill.solution)) {
        const patchFile = join(contentDir, 'drills', drill.id, 'mutants', `${m.name}.patch`)
        // -o: write the result elsewhere; -F0: no fuzz, as in loadMutants; --quiet: no chatter.
        execFileSync(gnuPatch!, [
          '--quiet',
          '-F0',
          '-o',
          out,
          '-i',
          patchFile,
          join(contentDir, 'drills', drill.id, 'solution.ts')
        ])
        expect(readFileSync(out, 'utf8'), `${drill.id}/${m.name}`).toBe(m.code)
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(drills.length * 6)
  })
})
