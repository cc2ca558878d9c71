// The NSS key log format (what Node's 'keylog' event emits, one line per secret):
// `<LABEL> <client_random, 64 hex digits> <secret, hex>`; lines starting with # are comments.

export type KeyLog = Map<string, Map<string, Buffer>>

export interface KeyLogProblem {
  line: number
  message: string
}

const LINE = /^([A-Z][A-Z0-9_]*) ([0-9a-fA-F]{64}) ([0-9a-fA-F]{2,256})$/

/** Secrets by client random (lowercase hex), then by label. Malformed lines are reported, not skipped silently. */
export function parseKeyLog(text: string): { keys: KeyLog; problems: KeyLogProblem[] } {
  const keys: KeyLog = new Map()
  const problems: KeyLogProblem[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const m = LINE.exec(line)
    if (!m || (m[3] ?? '').length % 2 !== 0) {
      problems.push({ line: i + 1, message: 'not "LABEL <64 hex digits of client random> <hex secret>"' })
      return
    }
    const random = (m[2] ?? '').toLowerCase()
    const byLabel = keys.get(random) ?? new Map<string, Buffer>()
    byLabel.set(m[1] ?? '', Buffer.from(m[3] ?? '', 'hex'))
    keys.set(random, byLabel)
  })
  return { keys, problems }
}
