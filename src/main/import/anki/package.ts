// Opening an Anki package (.apkg, .colpkg): a zip holding a SQLite collection, a media map and
// the media files named 0, 1, 2… Three generations exist:
//   collection.anki2   (schema 11, Anki < 2.1.28), media map is JSON {"0": "name.png"}
//   collection.anki21  (schema 11, Anki 2.1.28-2.1.49), same media map
//   collection.anki21b (schema 18, Anki >= 2.1.50), zstd-compressed, as are the media map
//     (protobuf MediaEntries) and every media file; a `meta` entry (protobuf) says so.
// A modern package also holds a placeholder collection.anki2 whose one note asks the reader
// to update Anki: the newest collection is always the one read.
// Inflating is bounded: only the entries needed are inflated, their declared sizes must fit
// a total budget, and fflate never writes past an entry's declared size.
import { zstdDecompressSync } from 'node:zlib'
import { ContentError } from '../../../shared/errors'
import { lazyModule } from '../../lazy-module'
import { messageFields, ProtobufError, stringField, varintField } from './protobuf'

const fflate = lazyModule<typeof import('fflate')>('fflate')

/** Largest unpacked collection (bytes). */
export const MAX_COLLECTION_BYTES = 512 * 1024 * 1024
/** Largest total of everything inflated from one package: collection plus media (bytes). */
export const MAX_INFLATED_BYTES = 1024 * 1024 * 1024
/** Largest single media file kept (bytes); bigger ones are reported and skipped. */
export const MAX_MEDIA_FILE_BYTES = 32 * 1024 * 1024

export type CollectionVersion = 'anki2' | 'anki21' | 'anki21b'

interface ZipEntryInfo {
  name: string
  /** Declared unpacked size (bytes). */
  originalSize: number
}

export interface MediaProblem {
  name: string
  reason: string
  /** True when the package simply does not hold the file. */
  missing: boolean
}

export interface AnkiPackage {
  version: CollectionVersion
  /** SQLite bytes of the collection. */
  collection: Uint8Array
  /** Media file name (as notes reference it) -> zip entry name. */
  mediaNames: Map<string, string>
  /** Reads the named media files (by their note names), within the inflate budget. */
  readMedia(names: string[]): { files: Map<string, Uint8Array>; problems: MediaProblem[] }
}

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 0x03 || bytes[2] === 0x05) &&
    (bytes[3] === 0x04 || bytes[3] === 0x06)
  )
}

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd]
const isZstd = (bytes: Uint8Array) => ZSTD_MAGIC.every((b, i) => bytes[i] === b)

function listEntries(bytes: Uint8Array, file: string): Map<string, ZipEntryInfo> {
  const entries = new Map<string, ZipEntryInfo>()
  try {
    fflate().unzipSync(bytes, {
      filter: (entry) => {
        entries.set(entry.name, { name: entry.name, originalSize: entry.originalSize })
        return false
      }
    })
  } catch (error) {
    throw new ContentError(
      file,
      1,
      `the package is damaged or truncated: it cannot be read as a zip (${(error as Error).message})`
    )
  }
  return entries
}

/** Inflates exactly the named entries; the caller has checked their declared sizes. */
function inflate(bytes: Uint8Array, names: Set<string>, file: string): Record<string, Uint8Array> {
  try {
    return fflate().unzipSync(bytes, { filter: (entry) => names.has(entry.name) })
  } catch (error) {
    throw new ContentError(
      file,
      1,
      `the package is damaged or truncated: an entry cannot be inflated (${(error as Error).message})`
    )
  }
}

/** zstd frames as Anki writes them (no content size in the header), capped at `maxBytes`. */
export function unzstd(bytes: Uint8Array, maxBytes: number, file: string, what: string): Uint8Array {
  if (typeof zstdDecompressSync !== 'function') {
    throw new ContentError(
      file,
      1,
      `${what} is zstd-compressed and this Node.js has no zstd (it needs Node 22.15 or newer)`
    )
  }
  try {
    return zstdDecompressSync(bytes, { maxOutputLength: maxBytes })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new ContentError(file, 1, `${what} unpacks to more than ${maxBytes / 1024 / 1024} MB`)
    }
    throw new ContentError(file, 1, `${what} is damaged: it cannot be decompressed (${(error as Error).message})`)
  }
}

/** `meta`'s version field: 1 legacy anki2, 2 legacy anki21, 3 latest (anki21b); 0 unknown. */
function metaVersion(bytes: Uint8Array | undefined, file: string): number | null {
  if (!bytes) return null
  try {
    return varintField(bytes, 1)
  } catch (error) {
    if (error instanceof ProtobufError)
      throw new ContentError(file, 1, `the package's meta entry is damaged (${error.message})`)
    throw error
  }
}

function parseMediaMap(bytes: Uint8Array, modern: boolean, file: string): Map<string, string> {
  const map = new Map<string, string>()
  if (modern) {
    // MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { string name = 1; ...;
    // optional uint32 legacy_zip_filename = 255 }: the zip entry is the index unless 255 says.
    try {
      messageFields(bytes, 1).forEach((entry, index) => {
        const name = stringField(entry, 1)
        const zipName = String(varintField(entry, 255, index))
        if (name) map.set(name, zipName)
      })
    } catch (error) {
      if (error instanceof ProtobufError)
        throw new ContentError(file, 1, `the package's media list is damaged (${error.message})`)
      throw error
    }
    return map
  }
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(bytes) || '{}')
  } catch {
    throw new ContentError(file, 1, "the package's media list is not valid JSON")
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ContentError(file, 1, "the package's media list is not a JSON object")
  for (const [zipName, name] of Object.entries(json)) if (typeof name === 'string' && name) map.set(name, zipName)
  return map
}

export function openAnkiPackage(bytes: Uint8Array, file: string): AnkiPackage {
  const entries = listEntries(bytes, file)
  let budget = MAX_INFLATED_BYTES
  const take = (names: string[]) => {
    const wanted = names.filter((n) => entries.has(n))
    const declared = wanted.reduce((sum, n) => sum + entries.get(n)!.originalSize, 0)
    if (declared > budget) {
      throw new ContentError(
        file,
        1,
        `the package's entries unpack to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB in total; refusing to inflate them`
      )
    }
    budget -= declared
    return inflate(bytes, new Set(wanted), file)
  }

  const version: CollectionVersion | null = entries.has('collection.anki21b')
    ? 'anki21b'
    : entries.has('collection.anki21')
      ? 'anki21'
      : entries.has('collection.anki2')
        ? 'anki2'
        : null
  if (!version)
    throw new ContentError(
      file,
      1,
      'not an Anki package: the zip holds no collection.anki21b, collection.anki21 or collection.anki2'
    )
  const collectionEntry = `collection.${version}`
  if (entries.get(collectionEntry)!.originalSize > MAX_COLLECTION_BYTES) {
    throw new ContentError(
      file,
      1,
      `the collection inside the package unpacks to more than ${MAX_COLLECTION_BYTES / 1024 / 1024} MB`
    )
  }
  const head = take([collectionEntry, 'meta', 'media'])
  const meta = metaVersion(head['meta'], file)
  if (meta === 0)
    throw new ContentError(
      file,
      1,
      'the package was written by a newer Anki than this importer knows (its meta version is unknown)'
    )
  const modern = version === 'anki21b' || (meta !== null && meta >= 3)
  let collection = head[collectionEntry]!
  if (isZstd(collection))
    collection = unzstd(collection, Math.min(MAX_COLLECTION_BYTES, budget), file, 'the collection')
  let mediaBytes = head['media'] ?? new Uint8Array(0)
  if (isZstd(mediaBytes)) mediaBytes = unzstd(mediaBytes, 64 * 1024 * 1024, file, "the package's media list")
  const mediaNames = parseMediaMap(mediaBytes, modern && !looksLikeJson(mediaBytes), file)

  return {
    version,
    collection,
    mediaNames,
    readMedia(names) {
      const problems: MediaProblem[] = []
      const zipNames = new Map<string, string>()
      for (const name of names) {
        const zipName = mediaNames.get(name)
        const info = zipName === undefined ? undefined : entries.get(zipName)
        if (!info) problems.push({ name, reason: 'not in the package', missing: true })
        else if (info.originalSize > MAX_MEDIA_FILE_BYTES)
          problems.push({ name, reason: `larger than ${MAX_MEDIA_FILE_BYTES / 1024 / 1024} MB`, missing: false })
        else zipNames.set(zipName!, name)
      }
      const inflated = take([...zipNames.keys()])
      const files = new Map<string, Uint8Array>()
      for (const [zipName, name] of zipNames) {
        let data = inflated[zipName]
        if (!data) continue
        if (isZstd(data)) {
          try {
            data = unzstd(data, Math.min(MAX_MEDIA_FILE_BYTES, budget), file, name)
          } catch (error) {
            problems.push({ name, reason: (error as Error).message, missing: false })
            continue
          }
          budget -= data.length
        }
        files.set(name, data)
      }
      return { files, problems }
    }
  }
}

function looksLikeJson(bytes: Uint8Array): boolean {
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09)
  return first === 0x7b
}
