import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES, previewImport, runImport } from '../../../src/main/import'
import { ContentError, ValidationError } from '../../../src/shared/errors'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { count, fixture } from './helpers'

function write(name: string, content: string | Uint8Array): string {
  const file = join(tempDir(), name)
  writeFileSync(file, content)
  return file
}

describe('format detection', () => {
  it('goes by content, not by extension', async () => {
    const { db } = tempDb()
    const guide = await previewImport(db, write('guide.txt', readFileSync(fixture('interview-guide.md'))), {
      now: FIXED_NOW
    })
    const csv = await previewImport(db, write('cards.md', readFileSync(fixture('cards.csv'))), { now: FIXED_NOW })
    const topic = await previewImport(db, write('topic.txt', readFileSync(fixture('topic.md'))), { now: FIXED_NOW })
    expect([guide.format, csv.format, topic.format]).toEqual(['guide', 'csv', 'content'])
  })
})

describe('bad input is refused with a named error and nothing written', () => {
  const cases: [string, () => string, typeof ValidationError | typeof ContentError, RegExp][] = [
    [
      'plain prose of no known format',
      () => write('notes.txt', 'Just some thoughts about TCP.\nNothing structured here.\n'),
      ValidationError,
      /cannot tell what notes\.txt is/
    ],
    [
      'binary data',
      () => write('data.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0xff])),
      ValidationError,
      /binary data/
    ],
    [
      'a bare SQLite file',
      () => write('collection.anki2', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(100)])),
      ValidationError,
      /bare SQLite database/
    ],
    [
      'text that is not UTF-8',
      () =>
        write(
          'guide.md',
          Buffer.concat([Buffer.from('# Guide\n\n### 1. Q?\n\nAn'), Buffer.from([0xe9]), Buffer.from('\n')])
        ),
      ContentError,
      /not valid UTF-8/
    ],
    ['an empty file', () => write('empty.md', ''), ValidationError, /empty/],
    ['a missing file', () => join(tempDir(), 'nowhere.md'), ValidationError, /cannot open nowhere\.md \(ENOENT\)/],
    [
      'a folder with no markdown files, not laid out like content/',
      () => tempDir(),
      ContentError,
      /no markdown files, and is not laid out like content/
    ]
  ]

  it.each(cases)('%s', async (_what, make, errorClass, message) => {
    const { db } = tempDb()
    const before = totalChanges(db)
    const path = make()
    await expect(previewImport(db, path, { now: FIXED_NOW })).rejects.toBeInstanceOf(errorClass)
    const attempt = runImport(db, path, { now: FIXED_NOW })
    await expect(attempt).rejects.toBeInstanceOf(errorClass)
    await expect(attempt).rejects.toThrow(message)
    expect(totalChanges(db)).toBe(before)
  })

  it('a file over 50 MB, before reading it', async () => {
    const file = join(tempDir(), 'huge.md')
    // A sparse file: the size is real, the disk blocks are not.
    const fd = openSync(file, 'w')
    ftruncateSync(fd, MAX_IMPORT_BYTES + 1)
    closeSync(fd)
    const { db } = tempDb()
    const attempt = runImport(db, file, { now: FIXED_NOW })
    await expect(attempt).rejects.toBeInstanceOf(ValidationError)
    await expect(attempt).rejects.toThrow(/huge\.md is 50\.0 MB; imports are limited to 50 MB/)
    expect(count(db, 'decks')).toBe(0)
  })

  it('names the line of a non-UTF-8 byte', async () => {
    const { db } = tempDb()
    const file = write(
      'guide.md',
      Buffer.concat([Buffer.from('# Guide\n\n### 1. Q?\n\nAn'), Buffer.from([0xe9]), Buffer.from('\n')])
    )
    await expect(runImport(db, file, { now: FIXED_NOW })).rejects.toMatchObject({ file: 'guide.md', line: 5 })
  })

  it('a write the database refuses rolls the whole import back', async () => {
    const { db } = tempDb()
    const file = write('guide.md', '# Guide\n\n### 1. First?\n\nOne.\n\n### 2. Second?\n\nTwo.\n')
    db.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON cards WHEN new.front = 'Second?' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    await expect(runImport(db, file, { now: FIXED_NOW })).rejects.toThrow(/disk trouble/)
    expect(count(db, 'decks') + count(db, 'notes') + count(db, 'cards')).toBe(0)
  })
})
