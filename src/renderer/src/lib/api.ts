// The renderer's one `api` object. Behind the Electron window it calls the preload bridge;
// in browser mode it POSTs to the local server with the per-launch token. Views never know
// which.
import { methodNames, type Api, type MethodName } from '../../../shared/api'
import { ApiError, type Envelope } from '../../../shared/errors'

type Transport = (method: MethodName, input: unknown) => Promise<Envelope<unknown>>

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

function createApi(transport: Transport): Api {
  const entries = methodNames.map((method) => [
    method,
    async (input: unknown) => {
      const result = await transport(method, input)
      if (!result.ok) throw new ApiError(result.code, result.message)
      return result.value
    }
  ])
  return Object.fromEntries(entries) as Api
}

export const api: Api = createApi(
  window.api ? bridgeTransport(window.api) : httpTransport(takeToken(window.location, sessionStorage, window.history))
)
