// An image pasted into the card editor, stored like imported media: content-addressed in the
// data folder's media/ and served at /media/<sha256>.<ext>. The bytes must be the type the
// page says (checked by their signature), so a file is never stored under a type it is not.
import { hash as digestOf } from 'node:crypto'
import { ValidationError } from '../../shared/errors'
import { MAX_PASTED_IMAGE_BYTES, mediaPath, PASTED_IMAGE_TYPES, type PastedImageType } from '../../shared/media'
import { storeMedia } from '../import/media-files'

/** Whether `bytes` start as a file of `type` does (the format's signature). */
function hasSignature(type: PastedImageType, bytes: Buffer): boolean {
  const ascii = (from: number, to: number) => bytes.subarray(from, to).toString('latin1')
  switch (type) {
    case 'image/png':
      return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    case 'image/jpeg':
      return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
    case 'image/gif':
      return ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a'
    case 'image/webp':
      return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP'
    case 'image/avif':
      return ascii(4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(8, 12))
    case 'image/bmp':
      return ascii(0, 2) === 'BM'
  }
}

export function storePastedImage(
  mediaDir: string,
  type: PastedImageType,
  dataBase64: string
): { url: string; sizeBytes: number } {
  const bytes = Buffer.from(dataBase64, 'base64')
  if (bytes.length === 0) throw new ValidationError('the pasted image is empty')
  if (bytes.length > MAX_PASTED_IMAGE_BYTES)
    throw new ValidationError(
      `the pasted image is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; images over ${MAX_PASTED_IMAGE_BYTES / 1024 / 1024} MB are not stored`
    )
  if (!hasSignature(type, bytes)) throw new ValidationError(`the pasted data is not an ${type} image`)
  const ext = PASTED_IMAGE_TYPES[type]
  const sha256 = digestOf('sha256', bytes, 'hex')
  storeMedia(mediaDir, [{ sha256, ext, bytes }])
  return { url: mediaPath(sha256, ext), sizeBytes: bytes.length }
}
