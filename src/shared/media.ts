// Media files imported with cards live content-addressed in the data folder's media/ folder
// and are served by both doors at /media/<sha256>.<ext> (same origin, so the CSP's
// img-src 'self' allows them and nothing is fetched from the network).

/** Image types kept, by file extension, with the Content-Type each is served as. */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  svg: 'image/svg+xml'
}

/** The path part of a stored media file's URL: exactly 64 hex digits and a known extension. */
export const MEDIA_PATH = /^\/media\/([0-9a-f]{64})\.([a-z0-9]{2,5})$/

export function mediaPath(sha256: string, ext: string): string {
  return `/media/${sha256}.${ext}`
}

/** The extension a media file is stored under, or null when it is not an image type we keep. */
export function mediaExtension(name: string): string | null {
  const ext = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? ''
  return ext in MEDIA_TYPES ? ext : null
}

/**
 * Image types the card editor takes from the clipboard, by MIME type, with the extension each
 * is stored under. Raster only: a pasted SVG is a document that could carry script.
 */
export const PASTED_IMAGE_TYPES = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/bmp': 'bmp'
} as const
export type PastedImageType = keyof typeof PASTED_IMAGE_TYPES

/** Largest image the editor takes from the clipboard (bytes). */
export const MAX_PASTED_IMAGE_BYTES = 10 * 1024 * 1024
