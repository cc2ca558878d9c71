// A start of `serve` whose content is unchanged loads only what its first answers need: the
// parsers of an import (csv-parse, fflate), YAML (content files are parsed only when changed)
// and esbuild (drills) wait for their first use; zod is part of the main chunk, not ~100 files
// of its own. Seen from outside, through Node's module hooks.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from './api'
import { serve, type Served } from './harness'

const HOOK = join(import.meta.dirname, 'report-module-loads.mjs')

describe('serve loads the parsers and the drill bundler lazily', () => {
  let served: Served
  const loaded = () =>
    new Set(
      served
        .logs()
        .stderr.split('\n')
        .filter((line) => line.startsWith('package loaded: '))
        .map((line) => line.slice('package loaded: '.length))
    )

  beforeAll(async () => {
    // The first start syncs the shipped library into a new collection (parsing it); the second
    // finds it unchanged, as every later start of a user's app does.
    const first = await serve()
    await callApi(first, 'appInfo', {})
    await first.stop()
    served = await serve({ NODE_OPTIONS: `--import=${HOOK}` }, first.dataDir)
  })
  afterAll(async () => {
    await served?.stop()
  })

  it('answers Home without them, and loads csv-parse for the first CSV preview', async () => {
    const decks = await callApi<unknown[]>(served, 'listDecks', {})
    expect(decks.length).toBeGreaterThan(0)
    const atStart = loaded()
    // The hook sees packages at all: the database driver is one the start needs.
    expect(atStart.has('better-sqlite3')).toBe(true)
    for (const lazy of ['csv-parse/sync', 'fflate', 'yaml', 'esbuild', 'image-size'])
      expect(atStart.has(lazy), lazy).toBe(false)
    // zod is bundled into the main chunk (electron.vite.config.ts): never resolved as a package.
    expect(atStart.has('zod')).toBe(false)

    const csv = Buffer.from('front,back\nWhat is TCP?,A transport protocol\n').toString('base64')
    await callApi(served, 'previewImport', { fileName: 'cards.csv', dataBase64: csv, deck: 'CSV deck' })
    expect(loaded().has('csv-parse/sync')).toBe(true)
  })
})
