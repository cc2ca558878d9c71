// automerge-repo writes documents and sync states on throttled timers, and a timer can fire after
// Repo.shutdown(): by then the repo was flushed, and its folder may be gone (a test's temp folder,
// a cache the device cleared), so the late write would throw ENOENT out of a timer and take the
// process with it. Once closed, this adapter drops writes; reads still work.
//
// A write already under way when the repo shut down is not dropped: close() waits for it. The
// device drops its cache right after closing the connection when a round failed, and a save
// caught between its mkdir and its writeFile then failed with ENOENT out of a timer (the
// receiving device of bench/sync.bench-run.ts ended that way), or put the folder back.
import type { StorageKey } from '@automerge/automerge-repo/slim'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'

export class ClosableStorage extends NodeFSStorageAdapter {
  #closed = false
  readonly #underWay = new Set<Promise<unknown>>()

  /** Call after the repo's final flush: waits for writes under way; later writes are dropped. */
  async close(): Promise<void> {
    this.#closed = true
    while (this.#underWay.size > 0) await Promise.allSettled([...this.#underWay])
  }

  #track(write: Promise<void>): Promise<void> {
    this.#underWay.add(write)
    return write.finally(() => this.#underWay.delete(write))
  }

  override async save(key: StorageKey, data: Uint8Array): Promise<void> {
    if (!this.#closed) await this.#track(super.save(key, data))
  }

  override async remove(key: string[]): Promise<void> {
    if (!this.#closed) await this.#track(super.remove(key))
  }

  override async removeRange(prefix: string[]): Promise<void> {
    if (!this.#closed) await this.#track(super.removeRange(prefix))
  }
}
