// The single entry every door goes through: method lookup, schema validation, and
// errors turned into `{ ok: false, code, message }`. Doors add transport, nothing else.
import { z } from 'zod'
import { contract, isCliOnly, isMethodName, type Handlers } from '../../shared/api'
import { AppError, type Envelope } from '../../shared/errors'

export type Dispatch = (method: string, input: unknown) => Promise<Envelope<unknown>>

/**
 * `door`: 'page' (IPC, HTTP) refuses the command line's own methods (cliOnly in the contract:
 * host paths); 'cli' accepts every method. Handlers may be a subset (the CLI's `check` has no
 * collection); a method without one is answered not_found.
 */
export function createDispatch(
  handlers: Partial<Handlers>,
  log: (message: string) => void = console.error,
  door: 'page' | 'cli' = 'page'
): Dispatch {
  return async (method, input) => {
    const handler = isMethodName(method) ? (handlers[method] as ((input: unknown) => unknown) | undefined) : undefined
    if (!isMethodName(method) || !handler)
      return { ok: false, code: 'not_found', message: `unknown method: ${String(method).slice(0, 80)}` }
    if (door === 'page' && isCliOnly(method))
      return { ok: false, code: 'forbidden', message: `${method} is only for the command line` }
    const parsed = contract[method].input.safeParse(input ?? {})
    if (!parsed.success) return { ok: false, code: 'validation', message: describeIssues(method, parsed.error) }
    try {
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
