// Calls the running server's API from the test process, with the token, to seed data.
import type { Served } from './harness'

export async function callApi<T = unknown>(served: Served, method: string, input: unknown): Promise<T> {
  const response = await fetch(`${served.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${served.token}` },
    body: JSON.stringify(input)
  })
  const body = (await response.json()) as { ok: boolean; value?: T; message?: string }
  if (!body.ok) throw new Error(`${method}: ${body.message}`)
  return body.value as T
}
