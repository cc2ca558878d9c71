// Automatic sync in an open collection: the schedule (sync/auto-sync.ts) runs rounds through the
// device sync service while Settings → Sync has it on and a server is saved; every contract
// method marked CHANGES in src/shared/api.ts asks for a round (wiring.ts wraps them). Closing the
// collection stops every timer.
import type { SyncStatus } from '../../shared/device-sync'
import { createAutoSync, nodeTimers, type AutoSyncTimers, type AutoSyncTiming } from '../sync/auto-sync'
import type { DeviceSync } from '../sync/device-sync'

export interface AutoSyncOptions {
  timing?: Partial<AutoSyncTiming>
  timers?: AutoSyncTimers
  now?: () => number
  /** Called after each automatic round with the status it left (tests wait on it). */
  onRound?: (status: SyncStatus) => void
}

export interface AutoRounds {
  /** Starts or stops the schedule to match the device's setting and saved server. */
  refresh(): void
  changed(): void
  /** Sync now succeeded: an offline wait is over. */
  succeeded(): void
  stop(): void
}

export function createAutoRounds(
  devices: DeviceSync,
  /** Clears the undo history (rows changed behind its back). */
  clearUndo: () => void,
  options: AutoSyncOptions = {}
): AutoRounds {
  const schedule = createAutoSync({
    now: options.now ?? Date.now,
    timers: options.timers ?? nodeTimers,
    ...(options.timing ? { timing: options.timing } : {}),
    round: async () => {
      const status = await devices.syncNow()
      if (tookIn(status)) clearUndo()
      options.onRound?.(status)
      return !status.lastError
    }
  })
  const refresh = () => {
    const status = devices.status()
    if (status.auto && status.server && status.hasToken) schedule.start()
    else schedule.stop()
  }
  return {
    refresh,
    changed: () => schedule.changed(),
    succeeded: () => schedule.succeeded(),
    stop: () => schedule.stop()
  }
}

/**
 * Whether a round took in another device's work (its answers, or edits it wrote), which changes
 * rows behind the undo history's back. A round that only sent this device's work, or failed (its
 * report is then the previous round's), leaves undo as it was; undo still checks every row it
 * would put back and refuses when one changed since.
 */
export function tookIn(status: SyncStatus): boolean {
  const report = status.lastError ? null : status.lastReport
  return report !== null && (report.received > 0 || report.tookEdits === true)
}
