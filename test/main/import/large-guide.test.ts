import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { makeLargeGuide } from '../../fixtures/import/large-guide'
import { count } from './helpers'

const MB = 1024 * 1024

describe('a large guide', () => {
  const text = makeLargeGuide(MB)
  const questions = text.match(/^### \*\*\d+\./gm)!.length
  const file = join(tempDir(), 'guide-1mb.md')
  writeFileSync(file, text)

  it('is generated at the size asked for', () => {
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(MB)
    expect(Buffer.byteLength(text)).toBeLessThan(MB + 4096)
    expect(questions).toBeGreaterThan(500)
  })

  it('reports progress from 0 to 1, never going backwards', async () => {
    const { db } = tempDb()
    const progress: { fraction: number; message: string }[] = []
    const before = totalChanges(db)
    const preview = await previewImport(db, file, {
      now: FIXED_NOW,
      onProgress: (fraction, message) => progress.push({ fraction, message })
    })
    expect(totalChanges(db)).toBe(before)
    expect(preview.created).toBe(2 * questions)
    const fractions = progress.map((p) => p.fraction)
    expect(fractions[0]).toBe(0)
    expect(fractions.at(-1)).toBe(1)
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]!))).toBe(true)
    expect(new Set(fractions.filter((f) => f > 0 && f < 1)).size).toBeGreaterThan(5)
    expect(progress.every((p) => p.message.length > 0)).toBe(true)
  })

  it('imports every question, and none of the headings inside its code blocks', async () => {
    const { db } = tempDb()
    const progress: number[] = []
    const summary = await runImport(db, file, { now: FIXED_NOW, onProgress: (fraction) => progress.push(fraction) })
    expect(summary).toMatchObject({ created: 2 * questions, warnings: [] })
    expect(count(db, 'cards')).toBe(questions)
    expect(count(db, 'notes')).toBe(questions)
    expect(progress.at(-1)).toBe(1)
  })
})
