// One way to say no: record the violation (the run ends as `error` even if the code catches the
// throw) and throw at the call site, before any socket or file exists.

export class SandboxRefusal extends Error {
  override name = 'SandboxRefusal'
}

type ViolationSink = (message: string) => void
let sink: ViolationSink = () => {}

export function onViolation(next: ViolationSink): void {
  sink = next
}

export function refuse(message: string): never {
  sink(message)
  throw new SandboxRefusal(`Refused: ${message}`)
}
