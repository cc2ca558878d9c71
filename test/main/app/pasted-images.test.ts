// Images pasted into the card editor go through the contract's storeImage (issue 13): stored
// once under their SHA-256 in the data folder and served by the browser door's /media route;
// bytes that are not the type claimed, and images over the cap, are refused.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { storePastedImage } from '../../../src/main/app/pasted-images'
import { MAX_PASTED_IMAGE_BYTES } from '../../../src/shared/media'
import { testCollection } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
)
const sha = createHash('sha256').update(PNG).digest('hex')

describe('storing a pasted image', () => {
  it('stores it once under its SHA-256 through the contract and answers its /media URL', async () => {
    const collection = testCollection()
    const input = { type: 'image/png' as const, dataBase64: PNG.toString('base64') }
    const first = await collection.handlers.storeImage(input)
    expect(first).toEqual({ url: `/media/${sha}.png`, sizeBytes: PNG.length })
    expect(await collection.handlers.storeImage(input)).toEqual(first)
    expect(readdirSync(collection.mediaDir)).toEqual([`${sha}.png`])
    expect(readFileSync(join(collection.mediaDir, `${sha}.png`))).toEqual(PNG)
  })

  it('refuses bytes that are not the type claimed, empty data and images over the cap', () => {
    const dir = tempDir()
    expect(() => storePastedImage(dir, 'image/jpeg', PNG.toString('base64'))).toThrow(
      'the pasted data is not an image/jpeg image'
    )
    expect(() => storePastedImage(dir, 'image/png', Buffer.from('<svg onload=alert(1)>').toString('base64'))).toThrow(
      /not an image\/png image/
    )
    expect(() => storePastedImage(dir, 'image/png', '')).toThrow('the pasted image is empty')
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_PASTED_IMAGE_BYTES)])
    expect(() => storePastedImage(dir, 'image/png', big.toString('base64'))).toThrow(/images over 10 MB/)
    expect(readdirSync(dir)).toEqual([])
  })
})
