// automerge-repo writes documents and sync states on throttled timers, and a timer can fire after
// Repo.shutdown(): by then the repo was flushed, and its folder may be gone (a test's temp folder,
// a cache the device cleared), so the late write would throw ENOENT out of a timer and take the
// process with it. Once closed, this adapter drops writes; reads still work.
import type { StorageKey } from '@automerge/automerge-repo/slim'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'

export class ClosableStorage extends NodeFSStorageAdapter {
  #closed = false

  /** Call after the repo's final flush: later writes are dropped. */
  close(): void {
    this.#closed = true
  }

  override async save(key: StorageKey, data: Uint8Array): Promise<void> {
    if (!this.#closed) await super.save(key, data)
  }

  override async remove(key: string[]): Promise<void> {
    if (!this.#closed) await super.remove(key)
  }

  override async removeRange(prefix: string[]): Promise<void> {
    if (!this.#closed) await super.removeRange(prefix)
  }
}
