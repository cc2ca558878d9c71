// Named errors that cross every door as `{ ok: false, code, message }`.
// Services throw these; doors never branch on message text, only on `code`.
import type { RecoveryInfo } from './backups'

export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'content'
  | 'conflict'
  | 'sandbox'
  | 'storage'
  | 'unauthorized'
  | 'forbidden'
  | 'internal'

export class AppError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.code = code
    this.name = new.target.name
  }
}

export class ValidationError extends AppError {
  constructor(message: string) {
    super('validation', message)
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('not_found', `${what} not found: ${id}`)
  }
}

/** A problem in a content file; `line` is 1-based. */
export class ContentError extends AppError {
  readonly file: string
  readonly line: number
  constructor(file: string, line: number, reason: string) {
    super('content', `${file}:${line}: ${reason}`)
    this.file = file
    this.line = line
  }
}

export class StorageError extends AppError {
  constructor(message: string) {
    super('storage', message)
  }
}

/** The collection file is damaged: it was kept aside and nothing was opened. */
export class CorruptCollectionError extends StorageError {
  readonly recovery: RecoveryInfo
  constructor(message: string, recovery: RecoveryInfo) {
    super(message)
    this.recovery = recovery
  }
}

export class SandboxError extends AppError {
  constructor(message: string) {
    super('sandbox', message)
  }
}

export interface ErrorEnvelope {
  ok: false
  code: ErrorCode
  message: string
}

export interface OkEnvelope<T> {
  ok: true
  value: T
}

export type Envelope<T> = OkEnvelope<T> | ErrorEnvelope

/** What a client throws when a door answers `{ ok: false }`. */
export class ApiError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.code = code
    this.name = 'ApiError'
  }
}
