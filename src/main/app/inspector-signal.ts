// Node (and Electron's main process) opens its inspector on 127.0.0.1:9229 when it receives
// SIGUSR1, and whoever connects to it runs code inside the process: for `retransmit serve` that
// means reading its API token. Any process of the same user can send the signal, so Retransmit's
// own processes take it: a JavaScript listener replaces Node's handler (no inspector opens). The
// drill sandbox's children go further, with --disable-sigusr1 and the permission model.
export function refuseInspectorSignal(): void {
  if (process.platform === 'win32') return
  process.on('SIGUSR1', () => {})
}
