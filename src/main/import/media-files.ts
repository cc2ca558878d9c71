// Writing imported media into the data folder: each file under its SHA-256 (so a file is
// stored once however many decks use it), written to a temporary name and renamed into
// place, so a reader never sees half a file.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PlannedMedia } from './types'

export function storeMedia(mediaDir: string, media: readonly PlannedMedia[]): void {
  mkdirSync(mediaDir, { recursive: true })
  for (const file of media) {
    const target = join(mediaDir, `${file.sha256}.${file.ext}`)
    if (existsSync(target)) continue
    const temporary = `${target}.${process.pid}.tmp`
    writeFileSync(temporary, file.bytes)
    renameSync(temporary, target)
  }
}
