// Numbers a run's TCP connections so both ends' events share one number: the client's socket and
// the server's accepted socket see the same two endpoints, swapped.

export class ConnectionIds {
  /** Connections with one end seen so far, by their endpoint pair. */
  private halfSeen = new Map<string, { id: number; local: string }>()
  private next = 1

  /** The connection of a socket with these endpoints (`host:port`). */
  idFor(local: string, remote: string): number {
    const key = local < remote ? `${local}|${remote}` : `${remote}|${local}`
    const seen = this.halfSeen.get(key)
    if (seen && seen.local !== local) {
      this.halfSeen.delete(key)
      return seen.id
    }
    // New, or the same end again (a port reused after the other end was never seen).
    const id = this.next++
    this.halfSeen.set(key, { id, local })
    return id
  }
}
