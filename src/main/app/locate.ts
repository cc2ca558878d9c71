// Finds the shipped folders (content/, out/renderer/) from wherever the code runs:
// the source tree under vitest, out/main/ after a build, or resources/ when packaged.
import { existsSync } from 'node:fs'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

function findUp(start: string, relative: string): string | null {
  let dir = start
  for (;;) {
    if (existsSync(join(dir, relative))) return join(dir, relative)
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

const here = () => dirname(fileURLToPath(import.meta.url))

export function locateContentDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.RETRANSMIT_CONTENT_DIR) return env.RETRANSMIT_CONTENT_DIR
  const decks = findUp(here(), join('content', 'decks'))
  return decks ? dirname(decks) : null
}

export function locateRendererDir(): string | null {
  const index = findUp(here(), join('out', 'renderer', 'index.html'))
  return index ? dirname(index) : null
}

/** True when running from the build (out/main), where prebuilt helpers should be used. */
export function runningFromBuild(): boolean {
  return here().includes(`${sep}out${sep}main`)
}

/** The prebuilt drill sandbox files (scripts/build-drill-child.js), when running from the build. */
export function locateDrillRunnerFiles(): { childScriptPath: string; typeCheckWorkerPath?: string } | null {
  if (!runningFromBuild()) return null
  const child = findUp(here(), join('out', 'drills', 'child.cjs'))
  if (!child) return null
  const worker = join(dirname(child), 'type-check-worker.cjs')
  return { childScriptPath: child, ...(existsSync(worker) ? { typeCheckWorkerPath: worker } : {}) }
}
