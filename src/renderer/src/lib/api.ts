// The renderer's one `api` object. Behind the Electron window it calls the preload bridge;
// in browser mode it POSTs to the local server with the per-launch token. Views never know
// which.
import type { Api, PageMethodName } from '../../../shared/api'
import { ApiError, type Envelope } from '../../../shared/errors'

type Transport = (method: PageMethodName, input: unknown) => Promise<Envelope<unknown>>

const TOKEN_KEY = 'retransmit.token'

/** Reads `#token=...` once, keeps it for this tab, and removes it from the address bar. */
export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash)
  if (match) {
    storage.setItem(TOKEN_KEY, match[1]!)
    history.replaceState(null, '', location.pathname + location.search)
  }
  return storage.getItem(TOKEN_KEY)
}

function httpTransport(token: string | null): Transport {
  return async (method, input) => {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? ''}` },
      body: JSON.stringify(input ?? {})
    })
    return (await response.json()) as Envelope<unknown>
  }
}

function bridgeTransport(bridge: NonNullable<Window['api']>): Transport {
  return (method, input) => (bridge[method] as (input: unknown) => Promise<Envelope<unknown>>)(input)
}

/**
 * One function per method, made on first use. A Proxy rather than a list of the contract's
 * method names: the contract (src/shared/api.ts) holds the zod schemas, which the services
 * need and the renderer does not (zod would be most of Home's script). The types still come
 * from the contract; a name that is not a method is answered by the server as unknown.
 */
function createApi(transport: Transport): Api {
  const made = new Map<string, (input: unknown) => Promise<unknown>>()
  return new Proxy({} as Api, {
    get(_target, name) {
      // Not a method: `then` (await checks it), symbols and the like.
      if (typeof name !== 'string' || name === 'then') return undefined
      let call = made.get(name)
      if (!call) {
        call = async (input: unknown) => {
          const result = await transport(name as PageMethodName, input)
          if (!result.ok) throw new ApiError(result.code, result.message)
          return result.value
        }
        made.set(name, call)
      }
      return call
    }
  })
}

export const api: Api = createApi(
  window.api ? bridgeTransport(window.api) : httpTransport(takeToken(window.location, sessionStorage, window.history))
)
