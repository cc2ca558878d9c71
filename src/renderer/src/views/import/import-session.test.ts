// The Import page's state against the real services: a collection in a temp folder answered
// through the dispatch the page's doors use, and real files from test/fixtures/import.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../shared/errors'
import { testCollection } from '../../../../../test/helpers/collection'
import { pageApi } from '../../../../../test/helpers/page-api'
import { ImportSession, type ReadFile } from './import-session.svelte'
import { MAX_IMPORT_BYTES } from './lib'

const FIXTURES = join(import.meta.dirname, '../../../../../test/fixtures/import')
const fixture = (name: string) => new File([readFileSync(join(FIXTURES, name))], name)

/** Reads as the page does, in two steps of progress, and counts its reads. */
function countingReader() {
  const reads: string[] = []
  const read: ReadFile = async (file, progress) => {
    reads.push(file.name)
    progress(null)
    const bytes = Buffer.from(await file.arrayBuffer())
    progress(0.5)
    return bytes.toString('base64')
  }
  return { read, reads }
}

describe('ImportSession', () => {
  it('previews a CSV file without writing, maps its columns, previews again and imports what it showed', async () => {
    const api = pageApi(testCollection())
    const { read, reads } = countingReader()
    const session = new ImportSession(api, read)
    const decksBefore = (await api.listDecks({})).length
    session.choose(fixture('other-columns.csv'))
    session.deck = 'Mapped columns'
    expect(session.canPreview).toBe(true)
    expect(session.canImport).toBe(false)

    const previewing = session.run('preview')
    expect(session.working).toBe('preview')
    expect(session.canPreview).toBe(false)
    await previewing
    expect(session.working).toBe(null)
    expect(session.error).toBe(null)
    expect(session.readFraction).toBe(1)
    expect(session.preview?.table?.names).toEqual(['Topic', 'Question', 'Answer', 'Source'])
    expect(session.columns).toEqual(session.preview!.table!.columns)
    expect(session.counts).toEqual({ create: 2, update: 0, unchanged: 0 })
    expect((await api.listDecks({})).length).toBe(decksBefore) // the preview wrote nothing
    expect(session.canImport).toBe(true)

    // A changed mapping must be previewed before it is imported; one without a front cannot be used.
    session.setRole(1, 'back')
    expect(session.mappingChanged).toBe(true)
    expect(session.canImport).toBe(false)
    expect(session.problem).toMatch(/front/)
    expect(session.canUpdatePreview).toBe(false)
    session.setRole(0, 'tags')
    session.setRole(1, 'front')
    session.setRole(2, 'back')
    session.setRole(3, 'ignore')
    expect(session.problem).toBe(null)
    expect(session.canUpdatePreview).toBe(true)
    await session.run('preview')
    expect(session.mappingChanged).toBe(false)
    expect(session.columns).toEqual(['tags', 'front', 'back', 'ignore'])
    expect(session.preview?.warnings.map((w) => w.message).join('\n')).toContain('column 4 ("Source") is ignored')

    await session.run('import')
    expect(session.error).toBe(null)
    expect(session.preview).toBe(null)
    expect(session.done).toMatchObject({ created: 2, deck: 'mapped-columns' })
    expect(reads).toEqual(['other-columns.csv']) // read once for three calls
    const imported = await api.browseCards({ query: 'deck:mapped-columns' })
    expect(imported.rows.map((row) => row.front).sort()).toEqual(['What is a RST?', 'What port does DNS use?'])
    expect(imported.rows.find((row) => row.front === 'What is a RST?')?.tags).toEqual(['tcp'])
  })

  it('keeps the importer’s refusal in its request, with the file and line, and a new choice clears it', async () => {
    const api = pageApi(testCollection())
    const session = new ImportSession(api, countingReader().read)
    session.choose(fixture('unclosed-quote.csv'))
    await session.run('preview')
    expect(session.preview).toBe(null)
    expect(session.error).toBeInstanceOf(ApiError)
    expect(session.request.message).toMatch(/^unclosed-quote.csv:2: .*never closed/)
    expect(session.working).toBe(null)
    session.choose(fixture('cards.csv'))
    expect(session.error).toBe(null)
    await session.run('preview')
    expect(session.counts?.create).toBeGreaterThan(0)
  })

  it('says a file over 50 MB is not imported, and never reads or sends it', async () => {
    const { read, reads } = countingReader()
    const session = new ImportSession(pageApi(testCollection()), read)
    const big = new File(['front,back\n'], 'huge.csv')
    Object.defineProperty(big, 'size', { value: MAX_IMPORT_BYTES + 1 })
    session.choose(big)
    expect((session.error as Error).message).toBe('huge.csv is 50.0 MB; files over 50 MB are not imported.')
    expect(session.canPreview).toBe(false)
    await session.run('preview')
    expect(reads).toEqual([])
    expect(session.preview).toBe(null)
    session.choose(null)
    expect(session.error).toBe(null)
  })
})
