// An uploaded file (base64 from the UI) as a temporary file for the importers, removed after.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { ValidationError } from '../../shared/errors'
import { MAX_IMPORT_BYTES } from '../import'

export async function withUploadedFile<T>(
  fileName: string,
  dataBase64: string,
  use: (path: string) => Promise<T>
): Promise<T> {
  const bytes = Buffer.from(dataBase64, 'base64')
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ValidationError(
      `${fileName} is ${(bytes.length / 1e6).toFixed(1)} MB; files over ${MAX_IMPORT_BYTES / 1e6} MB are not imported`
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'retransmit-upload-'))
  try {
    const path = join(dir, basename(fileName))
    writeFileSync(path, bytes)
    return await use(path)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
