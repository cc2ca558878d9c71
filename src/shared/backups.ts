// Backups of the collection, as the UI and the CLI see them. No node:* here.

/**
 * A backup's file name: `collection-<UTC time>.sqlite`, `-manual` when someone asked for it.
 * Names cross the doors as plain file names matched against the listing, never as paths.
 */
export const BACKUP_NAME = /^collection-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z(-manual)?\.sqlite$/

export interface BackupEntry {
  name: string
  /** When it was made (ms since the epoch), read from the name. */
  createdAt: number
  sizeBytes: number
  /** auto: made at start and every 30 minutes of use, thinned; manual: made on request, kept. */
  kind: 'auto' | 'manual'
}

/** What appInfo reports when the collection file was damaged at start and kept aside. */
export interface RecoveryInfo {
  /** Why the file was refused (SQLite's own words). */
  reason: string
  /** Where the damaged file was kept aside (never overwritten or deleted); null if it could not be moved. */
  keptAside: string | null
  /** The newest backup that passes an integrity check (a name from listBackups), or null. */
  newestBackup: string | null
  /** Its full path, for `retransmit restore`. */
  newestBackupPath: string | null
}

export interface RestoreResult {
  /** The backup now in use (a name from listBackups, or the file given to the CLI). */
  restored: string
  /** Where the collection that was replaced was kept (`collection.sqlite.before-restore-<time>`), or null if there was none. */
  keptAside: string | null
}
