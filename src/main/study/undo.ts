// The undo history: every study action (answer, bury, suspend, edit, tag, flag, move, Browse's
// bulk actions, an import) runs through `record`, which keeps a snapshot of the rows it changed.
// Undo and redo restore them in one transaction each. Kept in memory, as Anki does: it lasts
// while the app runs, up to MAX_STEPS actions.
import { ValidationError } from '../../shared/errors'
import type { UndoStatus } from '../../shared/study'
import { writeTransaction, type Db } from '../store/db'
import { UndoConflictError, type RowSnapshot, type UndoStore } from '../store/undo'

/** How many actions can be undone (Anki keeps 30). */
export const MAX_STEPS = 30

export interface UndoStep {
  label: string
  snapshot: RowSnapshot
}

export interface UndoOutcome {
  /** What was undone or redone, e.g. "Bury"; null when there was nothing. */
  label: string | null
  cardIds: string[]
}

/**
 * Told around every recorded action (the queue's cache of deck counts), inside its write
 * transaction (no other connection can commit meanwhile): `before` first, `after` with what it
 * changed. When the action fails, or its commit does, `after` is told again, with null.
 */
export interface UndoListener {
  before(): void
  after(snapshot: RowSnapshot | null): void
}

export interface UndoService {
  /** Runs `fn` in one write transaction and keeps what it changed as an undo step labelled `label`. */
  record<T>(label: string, fn: () => T): T
  undo(): UndoOutcome
  redo(): UndoOutcome
  status(): UndoStatus
  /** Forgets the history (after a content sync or a restore, whose rows undo must not overwrite). */
  clear(): void
  listen(listener: UndoListener): void
}

export function createUndoService({ db, store }: { db: Db; store: UndoStore }): UndoService {
  const done: UndoStep[] = []
  const undone: UndoStep[] = []
  let recording = false
  const listeners: UndoListener[] = []

  const recordTx = writeTransaction(db, <T>(fn: () => T) => {
    for (const listener of listeners) listener.before()
    const captured = store.capture(fn)
    for (const listener of listeners) listener.after(captured.snapshot)
    return captured
  })
  const restoreTx = writeTransaction(db, (snapshot: RowSnapshot, direction: 'undo' | 'redo') =>
    store.restore(snapshot, direction)
  )

  function move(from: UndoStep[], to: UndoStep[], direction: 'undo' | 'redo'): UndoOutcome {
    const step = from.at(-1)
    if (!step) return { label: null, cardIds: [] }
    try {
      restoreTx(step.snapshot, direction)
    } catch (error) {
      if (!(error instanceof UndoConflictError)) throw error
      // Restoring over someone else's change would lose it: the history ends here instead.
      done.length = 0
      undone.length = 0
      throw new ValidationError(`cannot ${direction} "${step.label}": ${error.message}`)
    }
    from.pop()
    to.push(step)
    return { label: step.label, cardIds: [...new Set(step.snapshot.cardIds)] }
  }

  return {
    record<T>(label: string, fn: () => T): T {
      // A recorded action inside another one belongs to the outer step.
      if (recording) return fn()
      recording = true
      try {
        const { result, snapshot } = recordTx(fn)
        if (Object.keys(snapshot.tables).length > 0) {
          done.push({ label, snapshot })
          if (done.length > MAX_STEPS) done.shift()
          undone.length = 0
        }
        return result
      } catch (error) {
        for (const listener of listeners) listener.after(null)
        throw error
      } finally {
        recording = false
      }
    },
    undo: () => move(done, undone, 'undo'),
    redo: () => move(undone, done, 'redo'),
    status: () => ({ undo: done.at(-1)?.label ?? null, redo: undone.at(-1)?.label ?? null }),
    clear() {
      done.length = 0
      undone.length = 0
    },
    listen(listener) {
      listeners.push(listener)
    }
  }
}

const registered = new WeakMap<Db, UndoService>()

/** Makes `undo` the history that `recordUndoable` on this database writes to. */
export function registerUndo(db: Db, undo: UndoService): void {
  registered.set(db, undo)
}

/**
 * For code that writes outside the study services (the import): runs `fn` in one write
 * transaction, as an undo step when the database has a history (the app), plainly when not (the CLI).
 */
export function recordUndoable<T>(db: Db, label: string, fn: () => T): T {
  const undo = registered.get(db)
  return undo ? undo.record(label, fn) : writeTransaction(db, fn)()
}
