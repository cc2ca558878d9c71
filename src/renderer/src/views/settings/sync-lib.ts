// What Settings → Sync says about the last round, from the service's status.
import type { SyncStatus } from '../../../../shared/device-sync'
import { formatCount } from '../../lib/plural'
import { formatWhen } from './backups-lib'

export interface SyncSummary {
  /** "Never synced", "Syncing: sending answers…", or "Last synced 2 Mar 2026, 09:00". */
  state: string
  /** The last round's counts, when there was one. */
  report: string | null
  /** Why the last round failed, or what it left out; null when nothing went wrong. */
  problem: string | null
}

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`

export function summarizeSync(status: SyncStatus, locale?: string, timeZone?: string): SyncSummary {
  const state = status.running
    ? `Syncing${status.step ? `: ${status.step}` : ''}…`
    : status.lastSyncAt
      ? `Last synced ${formatWhen(status.lastSyncAt, locale, timeZone)}`
      : 'Never synced'
  const last = status.lastReport
  // Drill Runs, Submits and attempts: said only when a round moved some (older reports lack them).
  const drills =
    last && (last.drillsSent || last.drillsReceived)
      ? ` ${plural(last.drillsSent ?? 0, 'drill record')} sent, ${(last.drillsReceived ?? 0).toLocaleString('en')} received.`
      : ''
  const report = last
    ? `${plural(last.sent, 'answer')} sent, ${plural(last.received, 'answer')} received, ${plural(last.edits, 'edit')} sent.${drills}`
    : null
  const problems: string[] = []
  if (status.lastError) problems.push(`The last sync failed: ${status.lastError}`)
  if (last?.refusedCount)
    problems.push(
      `${last.refusedCount === 1 ? '1 entry' : `${formatCount(last.refusedCount)} entries`} from other devices left out: ${last.refused[0]}`
    )
  if (last?.waiting)
    problems.push(`${plural(last.waiting, 'document')} not on the server yet; they come with a later sync.`)
  return { state, report, problem: problems.length > 0 ? problems.join(' ') : null }
}
