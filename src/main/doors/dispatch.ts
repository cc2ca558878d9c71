// The single entry every door goes through: method lookup, schema validation, and
// errors turned into `{ ok: false, code, message }`. Doors add transport, nothing else.
import { z } from 'zod'
import { contract, isMethodName, type Handlers } from '../../shared/api'
import { AppError, type Envelope } from '../../shared/errors'

export type Dispatch = (method: string, input: unknown) => Promise<Envelope<unknown>>

export function createDispatch(handlers: Handlers, log: (message: string) => void = console.error): Dispatch {
  return async (method, input) => {
    if (!isMethodName(method))
      return { ok: false, code: 'not_found', message: `unknown method: ${String(method).slice(0, 80)}` }
    const parsed = contract[method].input.safeParse(input ?? {})
    if (!parsed.success) return { ok: false, code: 'validation', message: describeIssues(method, parsed.error) }
    try {
      const handler = handlers[method] as (input: unknown) => unknown
      return { ok: true, value: await handler(parsed.data) }
    } catch (error) {
      if (error instanceof AppError) return { ok: false, code: error.code, message: error.message }
      log(`internal error in ${method}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      return { ok: false, code: 'internal', message: `${method} failed unexpectedly; see the log for details` }
    }
  }
}

function describeIssues(method: string, error: z.ZodError): string {
  const issue = error.issues[0]
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
  return `invalid input for ${method}${where}: ${issue?.message ?? 'rejected'}`
}
