// Temp folders that clean up after the test file, and a fixed clock.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll } from 'vitest'

const made: string[] = []
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

export function tempDir(prefix = 'retransmit-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** 2026-03-02 09:00 UTC: a fixed "now" for every test that needs one (ms). */
export const FIXED_NOW = Date.UTC(2026, 2, 2, 9, 0, 0)

export function fixedClock(start = FIXED_NOW) {
  let now = start
  const clock = () => now
  clock.advance = (ms: number) => {
    now += ms
  }
  clock.set = (ms: number) => {
    now = ms
  }
  return clock
}

/** Writes files (relative path -> text or bytes) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, content)
  }
}
