// The arithmetic of a resizable split (SplitPane.svelte): where the divider sits as a share of the
// container, kept so both panes stay usable, moved by pointer or keyboard, remembered per split.

export interface SplitLimits {
  /** Container size along the split (px). */
  size: number
  /** Smallest first and second pane (px). */
  minFirst: number
  minSecond: number
}

/** The share (0..1) the first pane may take, clamped so neither pane goes under its minimum. */
export function clampShare(share: number, { size, minFirst, minSecond }: SplitLimits): number {
  if (!(size > 0)) return Math.min(1, Math.max(0, share))
  const low = Math.min(1, minFirst / size)
  const high = Math.max(low, 1 - minSecond / size)
  return Math.min(high, Math.max(low, share))
}

/** The share for a pointer at `offset` px from the container's start. */
export function shareAt(offset: number, limits: SplitLimits): number {
  return clampShare(offset / limits.size, limits)
}

/** Arrow keys move the divider by `step` (a share), Page keys by 4 steps, Home/End to the ends. */
export function keyedShare(key: string, share: number, limits: SplitLimits, step = 0.02): number | null {
  const moves: Record<string, number> = {
    ArrowLeft: -step,
    ArrowUp: -step,
    ArrowRight: step,
    ArrowDown: step,
    PageUp: -4 * step,
    PageDown: 4 * step,
    Home: -1,
    End: 1
  }
  const move = moves[key]
  return move === undefined ? null : clampShare(share + move, limits)
}

const PREFIX = 'retransmit.split.'

/** The remembered share of split `key`, or `fallback` (nothing stored, unreadable, out of range). */
export function loadShare(storage: Pick<Storage, 'getItem'> | undefined, key: string, fallback: number): number {
  try {
    const stored = Number(storage?.getItem(PREFIX + key))
    return stored > 0 && stored < 1 ? stored : fallback
  } catch {
    return fallback
  }
}

export function saveShare(storage: Pick<Storage, 'setItem'> | undefined, key: string, share: number): void {
  try {
    storage?.setItem(PREFIX + key, share.toFixed(4))
  } catch {
    // Storage full or disabled: the split still works, it is only not remembered.
  }
}
