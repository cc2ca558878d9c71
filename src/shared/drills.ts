// Code drills as the UI and the CLI see them. The runner's own types (src/main/drills/types.ts)
// are structurally the same; the drill service checks that at compile time.

export type DrillStatus = 'pass' | 'fail' | 'error' | 'timeout'
export type DrillTestStatus = DrillStatus | 'skip'
export type DrillDifficulty = 'intro' | 'core' | 'stretch'
export type TraceLayer = 'tcp' | 'udp' | 'tls' | 'http' | 'ws' | 'dns'

export interface DrillTestResult {
  name: string
  status: DrillTestStatus
  message: string
  durationMs: number
  /** A stretch test ("what real servers also do"): shown apart, not needed for a pass. */
  stretch?: boolean
}

export type TraceKind =
  | 'tcp-listen'
  | 'tcp-connect'
  | 'tcp-accept'
  | 'tcp-data'
  | 'tcp-fin'
  | 'tcp-rst'
  | 'tcp-close'
  | 'udp-bind'
  | 'udp-datagram'
  | 'tls-record'
  | 'http-request'
  | 'http-response'
  | 'http-h2-frame'
  | 'ws-upgrade'
  | 'ws-frame'
  | 'dns-query'
  | 'dns-answer'
  | 'note'

export interface TraceEvent {
  /** Milliseconds since the run started (fractional). */
  tMs: number
  /** `host:port` of the sender (for data) or initiator; IPv6 hosts in brackets. */
  from: string
  to: string
  kind: TraceKind
  /** One human line, e.g. `ClientHello SNI=localhost versions=TLS1.3,TLS1.2`. */
  summary: string
  /** Payload size in bytes, for events that carry data. */
  bytes?: number
  /** First bytes of the payload, base64 (at most TRACE_PAYLOAD_CAP_BYTES decoded, in src/main/drills/types.ts). */
  payloadBase64?: string
  /** Index (file order) of the test that was running, or the last one that ran; absent before the first. */
  test?: number
  /** The TCP connection (numbered per run) a TCP or TLS event belongs to; both ends share it. */
  conn?: number
  /**
   * A protected TLS 1.3 record opened with the run's logged secrets, after the run, on the host
   * (src/main/drills/tls/annotate-trace.ts): the drill page has it, `trace()` inside a test never does.
   */
  tls?: TlsRecordDecryption
}

/** A run's trace as a pcapng file (README, Drills: trace). */
export interface DrillTraceExport {
  fileName: string
  /** The pcapng file, base64. */
  base64: string
  bytes: number
  packets: number
  /** Payloads written only in part (the run's capture budget ran out) or not at all. */
  partial: number
  /** The run's TLS secrets in NSS key log format (also inside the file's Decryption Secrets Block). */
  keyLog: string
}

/** One decrypted TLS message: its type and fields in wire order. */
export interface TlsMessageView {
  type: string
  fields: [string, string][]
}

export type TlsRecordDecryption =
  | {
      ok: true
      /** The real content type from inside the record (RFC 8446 §5.2). */
      contentType: string
      /** The NSS key log label of the secret whose keys opened it, e.g. SERVER_HANDSHAKE_TRAFFIC_SECRET. */
      secret: string
      /** The record's sequence number under that secret (the nonce's input, RFC 8446 §5.3). */
      seq: number
      summary: string
      messages: TlsMessageView[]
      /** Plaintext length (content only, without the type byte and padding), bytes. */
      bytes: number
      /** First bytes of the plaintext, base64 (at most the trace payload cap). */
      plaintextBase64: string
    }
  | { ok: false; error: string }

/** What a Run would refuse in a draft, found while the learner types (the Run reuses it). */
export interface DrillCheckResult {
  /**
   * Syntax errors and refused imports (`solution.ts:line:col: message`) if there are any, else
   * type errors (`solution.ts:line:col: TSxxxx: message`, at most 10).
   */
  errors: string[]
  /** False when no type checker is available (a build without TypeScript): nothing was checked. */
  checked: boolean
}

export interface DrillRunResult {
  drill: string
  status: DrillStatus
  message: string
  tests: DrillTestResult[]
  output: string
  trace: TraceEvent[]
  durationMs: number
  /** The sandbox layers this run had, in plain words (README "Security" explains each). */
  isolation: string[]
}

export interface DrillSummary {
  id: string
  title: string
  deck: string
  deckTitle: string
  difficulty: DrillDifficulty
  /** Best Submit result so far, or null if never submitted. */
  lastSubmit: DrillStatus | null
  attempts: number
  /** When the drill is next due for review (ms), once it has been submitted. */
  due: number | null
}

export interface DrillDetail extends DrillSummary {
  task: string
  /** How many hints the drill has; their texts come one at a time from `showHint`, which records them. */
  hintCount: number
  starter: string
  visibleTests: string
  /** The learner's saved draft, or null to start from the starter. */
  draft: string | null
  cards: string[]
  trace: TraceLayer[]
  timeLimitMs: number
  /** The attempt under way (openDrill starts one), as the host recorded it; null if none. */
  attempt: DrillAttemptView | null
}

/** An attempt at a drill as the host recorded it: what grades a Submit (README, Drills). */
export interface DrillAttemptView {
  /** When it was opened (ms). */
  openedAt: number
  /** False when a Run, Submit or hint opened it rather than opening the drill: it cannot be graded Easy. */
  timed: boolean
  /** The hints shown in it, in the order shown (1-based numbers). */
  hints: { n: number; text: string }[]
  /** When it first showed the reference solution (ms), or null. */
  solutionShownAt: number | null
  /** True once a Submit in it ran the tests (pass or fail): the solution may be shown. */
  solutionAvailable: boolean
  /** When it ended (its passing Submit), or null while it is open. */
  endedAt: number | null
}

export type DrillGrade = 1 | 2 | 3 | 4

export interface DrillSubmitOutcome {
  result: DrillRunResult
  /** How the drill was graded from the host's records: Again, Hard, Good or Easy; null when not graded. */
  grade: DrillGrade | null
  /** Why that grade (or none), in words. */
  gradeReason: string
  /** Linked cards the outcome was applied to. */
  cardsScheduled: string[]
  /** The attempt after this Submit. */
  attempt: DrillAttemptView
}

/** A drill test that prints `RETRANSMIT_SERIES {json}` emits a series for the UI to plot. */
export interface DrillSeries {
  name: string
  x?: string
  y?: string
  points: [number, number][]
}

export const SERIES_PREFIX = 'RETRANSMIT_SERIES '

/** Every series a run printed, in order; malformed lines are ignored. */
export function parseSeries(output: string): DrillSeries[] {
  const series: DrillSeries[] = []
  for (const line of output.split('\n')) {
    const at = line.indexOf(SERIES_PREFIX)
    if (at < 0) continue
    try {
      const value = JSON.parse(line.slice(at + SERIES_PREFIX.length)) as Partial<DrillSeries>
      if (typeof value.name !== 'string' || !Array.isArray(value.points)) continue
      const points = value.points.filter(
        (p): p is [number, number] =>
          Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1])
      )
      series.push({
        name: value.name,
        ...(value.x ? { x: String(value.x) } : {}),
        ...(value.y ? { y: String(value.y) } : {}),
        points
      })
    } catch {
      // Not JSON: an ordinary line that happens to contain the prefix.
    }
  }
  return series
}
