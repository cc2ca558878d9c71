// Waiting on automerge-repo during a round: for the server peer, for a document to be found, for
// this copy to hold given heads, for the server to confirm it holds this copy's heads, and
// flushing to the local store. Each wait ends with a SyncError (or false) after its time limit.
import * as A from '@automerge/automerge'
import {
  decodeHeads,
  type AutomergeUrl,
  type DocHandle,
  type PeerId,
  type Repo,
  type StorageId,
  type UrlHeads
} from '@automerge/automerge-repo'
import { sameHeads, SyncError } from './round-basics'

/** Resolves once the server's copy of `handle` has exactly this device's heads. */
export function converged(handle: DocHandle<unknown>, server: StorageId, timeoutMs: number): Promise<void> {
  const done = () => {
    const remote = handle.getRemoteHeads(server)
    return remote !== undefined && sameHeads(remote, handle.heads())
  }
  if (done()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return
      cleanup()
      resolve()
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new SyncError(`the sync server did not confirm document ${handle.documentId} within ${timeoutMs} ms`))
    }, timeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      handle.off('remote-heads', check)
      handle.off('heads-changed', check)
    }
    handle.on('remote-heads', check)
    handle.on('heads-changed', check)
  })
}

/**
 * Resolves true once `handle` holds every change in `heads`, false after `timeoutMs`. A cache cut
 * short by a crash can lack changes SQLite already took in; the server has them (they were
 * confirmed before they were taken in) and sends them while the round syncs.
 */
export function holds(handle: DocHandle<unknown>, heads: UrlHeads, timeoutMs: number): Promise<boolean> {
  const has = () => A.hasHeads(handle.doc(), decodeHeads(heads))
  if (has()) return Promise.resolve(true)
  return new Promise((resolve) => {
    const check = () => {
      if (!has()) return
      cleanup()
      resolve(true)
    }
    const timer = setTimeout(() => {
      cleanup()
      resolve(false)
    }, timeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      handle.off('heads-changed', check)
    }
    handle.on('heads-changed', check)
  })
}

export function serverPeer(repo: Repo, timeoutMs: number): Promise<StorageId> {
  const storageOf = (peerId: PeerId) => repo.getStorageIdOfPeer(peerId)
  for (const peer of repo.peers) {
    const id = storageOf(peer)
    if (id) return Promise.resolve(id)
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      repo.networkSubsystem.off('peer', onPeer)
      reject(new SyncError(`no answer from the sync server within ${timeoutMs} ms`))
    }, timeoutMs)
    const onPeer = ({ peerId }: { peerId: PeerId }) => {
      const id = storageOf(peerId)
      if (!id) return
      clearTimeout(timer)
      repo.networkSubsystem.off('peer', onPeer)
      resolve(id)
    }
    repo.networkSubsystem.on('peer', onPeer)
  })
}

/** Writes every loaded document to the local store (Repo#flush alone throws on a handle left unavailable). */
export function flushReady(repo: Repo): Promise<void> {
  const ready = Object.values(repo.handles).filter((handle) => handle.isReady())
  return repo.flush(ready.map((handle) => handle.documentId))
}

/** The document, or null when neither the local cache nor the server has it. */
export async function findOrNull<T>(repo: Repo, url: AutomergeUrl, timeoutMs: number): Promise<DocHandle<T> | null> {
  try {
    return await findWithin<T>(repo, url, timeoutMs)
  } catch (error) {
    if (error instanceof SyncError) return null
    throw error
  }
}

export async function findWithin<T>(repo: Repo, url: AutomergeUrl, timeoutMs: number): Promise<DocHandle<T>> {
  try {
    return await repo.find<T>(url, { signal: AbortSignal.timeout(timeoutMs) })
  } catch (error) {
    throw new SyncError(`document ${url} is not available: ${(error as Error).message}`)
  }
}
