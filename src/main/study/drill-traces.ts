// The last run of each drill, kept in memory for the trace export (pcapng with its TLS key log):
// traces are not stored in the collection, so an export covers runs since the app started.
import { ValidationError } from '../../shared/errors'
import type { DrillRunResult, DrillTraceExport } from '../../shared/drills'
import { captureOf, type RunCapture } from '../drills/capture'
import { traceToPcapng } from '../drills/pcap/trace-pcapng'
import type { TraceEvent } from '../drills'

/** Drills whose last run is kept (each capture holds at most 8 MB of payload). */
const KEPT_DRILLS = 4

export interface DrillTraceMemory {
  /** Remember a run's trace and capture as the drill's last. */
  keep(id: string, result: DrillRunResult): void
  /** The drill's last run as a pcapng file (base64). */
  exportPcapng(id: string): DrillTraceExport
}

export function createDrillTraceMemory(clock: () => number): DrillTraceMemory {
  const last = new Map<string, { trace: TraceEvent[]; capture: RunCapture; at: number }>()
  return {
    keep(id, result) {
      const capture = captureOf(result.trace as TraceEvent[])
      if (!capture) return
      last.delete(id)
      last.set(id, { trace: result.trace as TraceEvent[], capture, at: clock() })
      for (const oldest of last.keys()) {
        if (last.size <= KEPT_DRILLS) break
        last.delete(oldest)
      }
    },
    exportPcapng(id) {
      const run = last.get(id)
      if (!run)
        throw new ValidationError(
          `drill ${id} has not run since the app started: Run or Submit it, then export its trace`
        )
      const { file, packets, partial } = traceToPcapng(run.trace, run.capture)
      const stamp = new Date(run.at).toISOString().replace(/[:.]/g, '-')
      return {
        fileName: `${id}-${stamp}.pcapng`,
        base64: file.toString('base64'),
        bytes: file.length,
        packets,
        partial,
        keyLog: run.capture.keyLog.map((line) => `${line}\n`).join('')
      }
    }
  }
}
