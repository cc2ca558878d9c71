// automerge-repo's document synchronizer waits for a document to become ready (60 s) without
// catching the timeout. A document a peer announced and never sent (its round cut short) then
// rejects with nobody listening, which ends a Node process by default: the sync server, or the
// app. Those rejections, and only those, are reported and dropped; any other still ends the process.
let installed = false

export function tolerateRepoTimeouts(report: (message: string) => void): void {
  if (installed) return
  installed = true
  process.on('unhandledRejection', (reason) => {
    if (reason instanceof Error && reason.name === 'TimeoutError' && reason.message.startsWith('withTimeout:')) {
      report(`sync: a document did not arrive in time (${reason.message}); it is asked for again at the next round`)
      return
    }
    throw reason
  })
}
