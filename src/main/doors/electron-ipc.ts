// Door 1's transport: one ipcMain handler per contract method, sender checked, payload
// validated by the shared dispatch. The only file that touches ipcMain.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { pageMethodNames } from '../../shared/api'
import type { Dispatch } from './dispatch'
import { isTrustedSender } from './electron-security'

export const channelOf = (method: string) => `api:${method}`

export function registerIpcDoor(ipcMain: IpcMain, dispatch: Dispatch): void {
  for (const method of pageMethodNames) {
    ipcMain.handle(channelOf(method), (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url)) {
        return { ok: false, code: 'forbidden', message: 'IPC from an untrusted frame' }
      }
      return dispatch(method, input)
    })
  }
}
