// Settings → Sync: where this device syncs and how the last round went.

export interface SyncSettings {
  /** The sync server's address, http://host:port. */
  server: string
  /** The bearer token `retransmit sync-server` printed. */
  token: string
}

export interface SyncRoundReport {
  /** This device's answers newly written to its log documents. */
  sent: number
  /** Answers from other devices added to this collection. */
  received: number
  /** Cards and decks whose edits were written to the edits document. */
  edits: number
  /**
   * Whether the edits document held changes from another device (text, marks, settings, drafts)
   * that were taken in. Reports stored before this field existed lack it.
   */
  tookEdits?: boolean
  /** Drill sessions and attempts (Runs and Submits) made here newly written to this device's drills documents. */
  drillsSent?: number
  /** Drill sessions and attempts from other devices new in this collection. */
  drillsReceived?: number
  /** Documents looked at (the index, the edits and every log document). */
  documents: number
  /** Entries of other devices' documents that were not what Retransmit writes (the first 20 reasons), left out. */
  refused: string[]
  refusedCount: number
  /** Log documents the index names that the server does not hold yet (their device's round was cut short). */
  waiting: number
}

export interface SyncStatus {
  server: string | null
  /** The token itself is never sent back to the UI. */
  hasToken: boolean
  deviceId: string
  running: boolean
  /** What a running round is doing. */
  step: string | null
  /** When the last round finished without error (ms since the epoch). */
  lastSyncAt: number | null
  /** Why the last round failed; empty or null when it did not. */
  lastError: string | null
  lastReport: SyncRoundReport | null
  /**
   * Whether this device syncs by itself (at start, after changes, and every few minutes). Kept on
   * this device only. Until chosen it is on once a server and token are saved.
   */
  auto: boolean
}
