// The renderer's `api`, answered by the real services: a dispatch over a collection in a temp
// folder, as the HTTP and IPC doors answer the page. Renderer state modules take this in tests.
import type { Api, InputOf, PageMethodName } from '../../src/shared/api'
import { ApiError } from '../../src/shared/errors'
import type { Collection } from '../../src/main/app/collection'
import { createDispatch } from '../../src/main/doors/dispatch'

export function pageApi(collection: Collection): Api {
  const dispatch = createDispatch(collection.handlers, () => {})
  return new Proxy({} as Api, {
    get: (_target, method) => async (input: InputOf<PageMethodName>) => {
      const envelope = await dispatch(String(method), input)
      if (!envelope.ok) throw new ApiError(envelope.code, envelope.message)
      return envelope.value
    }
  })
}
