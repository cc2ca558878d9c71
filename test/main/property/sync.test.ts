// Content sync under damaged content: the folder's files are replaced by mutations of valid
// ones between syncs; syncContent through the dispatch answers ok (with problems) or a named
// error, never internal, and a failed sync leaves the database as it was.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { openCollection } from '../../../src/main/app/collection'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { fixtureContent } from '../../helpers/collection'
import { fixedClock, tempDir } from '../../helpers/temp'
import { budget, mutatedText } from './budget'
import { snapshot } from './snapshot'

const content = fixtureContent()
const FILES = ['decks/alpha/deck.md', 'decks/alpha/one.md', 'decks/beta/deck.md', 'decks/beta/two.md']
const original = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(content, f), 'utf8')]))
const collection = openCollection({
  dataDir: tempDir('retransmit-fuzz-sync-'),
  contentDir: content,
  door: 'cli',
  clock: fixedClock(),
  autoBackup: false
})
afterAll(() => collection.close())
const internal: string[] = []
const dispatch = createDispatch(collection.handlers, (message) => internal.push(message))

describe('syncContent under damaged content files', () => {
  it('answers ok or a named error, never internal; a failure writes nothing; the file stays sound', async () => {
    const edits = fc
      .array(fc.tuple(fc.constantFrom(...FILES), fc.boolean()), { minLength: 1, maxLength: 3 })
      .chain((picks) =>
        fc.tuple(
          ...picks.map(([file, keep]) =>
            keep
              ? fc.constant([file, original[file]!] as const)
              : mutatedText(original[file]!).map((t) => [file, t] as const)
          )
        )
      )
    let problems = 0
    await fc.assert(
      fc.asyncProperty(edits, async (files) => {
        for (const [file, text] of files) writeFileSync(join(content, file), text)
        const before = snapshot(collection.db)
        const envelope = await dispatch('syncContent', {})
        if (envelope.ok) problems += (envelope.value as { problems: unknown[] }).problems.length
        else {
          expect(envelope.code, internal.at(-1)).not.toBe('internal')
          expect(snapshot(collection.db)).toEqual(before)
        }
        expect(snapshot(collection.db).integrity).toBe('ok')
        for (const file of FILES) writeFileSync(join(content, file), original[file]!)
      }),
      budget(60)
    )
    expect(internal).toEqual([])
    expect(problems).toBeGreaterThan(0) // the mutations did reach the parser's error paths
    // Back to the valid files: the collection syncs cleanly again.
    const clean = await dispatch('syncContent', {})
    expect(clean.ok && (clean.value as { problems: unknown[] }).problems).toEqual([])
  })
})
