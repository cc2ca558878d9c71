// The one contract between the UI and the services. Every door (Electron IPC, the HTTP
// server, the CLI), the preload bridge and the renderer client are derived from this
// object; nothing else lists the methods. Inputs are validated with these schemas at
// every door; results are typed only (the services produce them).
import { z } from 'zod'
import type { AppInfo, DeckSummary, SearchResult, SyncReport } from './domain'

/** Declares a method: its input schema now, its result type as a type argument. */
function method<Result>() {
  return <Input extends z.ZodType>(input: Input) => ({ input, result: undefined as unknown as Result })
}

const none = z.object({}).strict()

/** Bounded text: no field in the API accepts unbounded strings. */
export const text = (maxChars: number) => z.string().max(maxChars)

export const contract = {
  appInfo: method<AppInfo>()(none),
  listDecks: method<DeckSummary[]>()(none),
  search: method<SearchResult[]>()(
    z.object({ query: text(500), limit: z.number().int().min(1).max(500).optional() }).strict()
  ),
  syncContent: method<SyncReport>()(none)
}

export type Contract = typeof contract
export type MethodName = keyof Contract
export type InputOf<M extends MethodName> = z.input<Contract[M]['input']>
export type ParsedInputOf<M extends MethodName> = z.output<Contract[M]['input']>
export type ResultOf<M extends MethodName> = Contract[M]['result']

/** What the renderer sees as `api`, whichever door it is behind. */
export type Api = { [M in MethodName]: (input: InputOf<M>) => Promise<ResultOf<M>> }

/** What the services implement: parsed input in, result (or a promise of it) out. */
export type Handlers = {
  [M in MethodName]: (input: ParsedInputOf<M>) => ResultOf<M> | Promise<ResultOf<M>>
}

export const methodNames = Object.keys(contract) as MethodName[]

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name)
}

/** What the preload exposes as `window.api`: the same methods, answering envelopes. */
export type Bridge = { [M in MethodName]: (input: InputOf<M>) => Promise<import('./errors').Envelope<ResultOf<M>>> }
