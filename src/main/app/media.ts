// Finding a stored media file for a request path (/media/<sha256>.<ext>), for both doors.
// Only exact content-addressed names of the kept image types match, so no other file in the
// data folder can be reached; the file must be a regular file (not a link to one elsewhere).
import { lstatSync } from 'node:fs'
import { join } from 'node:path'
import { MEDIA_PATH, MEDIA_TYPES } from '../../shared/media'

export interface MediaFile {
  path: string
  contentType: string
  sizeBytes: number
}

/** Served with every media file: an SVG opened on its own can run nothing and load nothing. */
export const MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

export function findMediaFile(mediaDir: string, pathname: string): MediaFile | null {
  const match = MEDIA_PATH.exec(pathname)
  const contentType = match ? MEDIA_TYPES[match[2]!] : undefined
  if (!match || !contentType) return null
  const path = join(mediaDir, `${match[1]}.${match[2]}`)
  try {
    const stat = lstatSync(path)
    return stat.isFile() ? { path, contentType, sizeBytes: stat.size } : null
  } catch {
    return null
  }
}

export const isMediaPath = (pathname: string) => MEDIA_PATH.test(pathname)
