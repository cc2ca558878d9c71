// First contact (issue 15): `retransmit` and `npm start` on a Node that is too old, and `npm start`
// without an Electron binary. Real processes; nothing here builds the app or opens a window.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/temp'

const root = join(import.meta.dirname, '..', '..', '..')
const scripts = [join(root, 'bin', 'retransmit.js'), join(root, 'scripts', 'start.js')]

function run(node: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(node, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 })
}

function expectTooOld(result: ReturnType<typeof run>, version: string): void {
  expect(result.status).toBe(2)
  expect(result.stderr).toContain(`this is Node ${version}; Retransmit needs Node 22.12 or newer`)
  expect(result.stderr).toContain('nvm install 24')
  expect(result.stderr).not.toMatch(/SyntaxError|Error:| {4}at /)
  expect(result.stdout).toBe('')
}

/** The machine's own Node when it is older than 22.12 (Debian's is 20), else RETRANSMIT_OLD_NODE. */
function oldNode(): { path: string; version: string } | null {
  for (const path of [process.env.RETRANSMIT_OLD_NODE, '/usr/bin/node'].filter(
    (p): p is string => !!p && existsSync(p)
  )) {
    const version = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()
    const [major, minor] = version.split('.').map(Number)
    if (major! < 22 || (major === 22 && minor! < 12)) return { path, version }
  }
  return null
}

describe('the Node version check', () => {
  const old = oldNode()
  it.runIf(old)(`runs first and says how to get Node 24 on a real old Node (${old?.version ?? 'none found'})`, () => {
    for (const script of scripts) expectTooOld(run(old!.path, [script, '--version']), old!.version)
  })

  it('refuses 22.11, the version just below the line, before loading anything else', () => {
    // Node reports 22.11.0 to the scripts; the check must stop them before the build or the CLI.
    const pretend =
      'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"22.11.0"}})'
    for (const script of scripts)
      expectTooOld(run(process.execPath, ['--import', pretend, script, '--version']), '22.11.0')
  })

  it('lets the current Node through', () => {
    const result = run(process.execPath, [scripts[0]!, '--help'])
    expect(result.stderr).not.toContain('Retransmit needs Node')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('Usage: retransmit <command>')
  })
})

describe('npm start without an Electron binary', () => {
  function expectOneParagraph(result: ReturnType<typeof run>): void {
    expect(result.status).toBe(1)
    const text = result.stderr.trim()
    expect(text).toMatch(/^Retransmit could not open its desktop window: the Electron binary is not installed here/)
    expect(text).toContain('npm run serve')
    expect(text.split('\n')).toHaveLength(1)
    expect(text).not.toMatch(/ {4}at |node_modules/)
  }

  it('says so in one paragraph when the binary is missing', () => {
    // Electron's package returns ELECTRON_OVERRIDE_DIST_PATH/electron without checking it exists.
    expectOneParagraph(run(process.execPath, [scripts[1]!], { ELECTRON_OVERRIDE_DIST_PATH: tempDir('no-electron-') }))
  })

  const installed = existsSync(join(root, 'node_modules', 'electron', 'path.txt'))
  it.skipIf(installed)('says so in one paragraph, with the cause, when the download fails', () => {
    // A mirror on a closed loopback port and an empty cache: the download fails at once.
    const result = run(process.execPath, [scripts[1]!], {
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: tempDir('electron-cache-'),
      ELECTRON_OVERRIDE_DIST_PATH: ''
    })
    expectOneParagraph(result)
    expect(result.stderr).toContain('could not be downloaded (')
  })
})
