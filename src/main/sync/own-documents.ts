// This device's own documents named in the index (one per kind, month and device: its answers
// `log:…`, its drill records `drills:…`), found in the local cache or on the server, or made and
// named. Only this device writes these keys, so no two devices ever create one key at once.
import * as A from '@automerge/automerge'
import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo'
import type { IndexDoc } from './documents'
import { findOrNull } from './repo-waits'

export interface OwnDocuments<T> {
  /** The document under `key` in the index, made (and named there) if there is none yet. */
  get(key: string): Promise<DocHandle<T>>
  /** Every document `get` returned so far. */
  touched(): DocHandle<T>[]
}

export function ownDocuments<T>(repo: Repo, index: DocHandle<IndexDoc>, timeoutMs: number): OwnDocuments<T> {
  const touched = new Map<string, DocHandle<T>>()
  return {
    async get(key) {
      let handle = touched.get(key)
      if (!handle) {
        const known = index.doc()[key]
        // A document this device named in the index but that neither its cache nor the server
        // holds (a crash between the two writes) is replaced: what it would have held is still
        // noted here as unsent, and a copy that did get out is merged by uid wherever it went.
        handle = (known && (await findOrNull<T>(repo, String(known) as AutomergeUrl, timeoutMs))) || undefined
        if (!handle) {
          const made = repo.create<T>({} as T)
          index.change((d) => void (d[key] = new A.ImmutableString(made.url)))
          handle = made
        }
        touched.set(key, handle)
      }
      return handle
    },
    touched: () => [...touched.values()]
  }
}
