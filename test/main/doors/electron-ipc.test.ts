// The Electron door without Electron: the binary cannot be downloaded on CI machines, so this
// test hands registerIpcDoor a stand-in for ipcMain (the one thing mocked here) and drives the
// real dispatch and services through it.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { describe, expect, it } from 'vitest'
import { pageMethodNames } from '../../../src/shared/api'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { channelOf, registerIpcDoor } from '../../../src/main/doors/electron-ipc'
import { testCollection } from '../../helpers/collection'

type Handler = (event: IpcMainInvokeEvent, input: unknown) => unknown

function fakeIpcMain() {
  const handlers = new Map<string, Handler>()
  const ipcMain = {
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler)
  } as unknown as IpcMain
  const invoke = (channel: string, input: unknown, frameUrl = 'retransmit://app/index.html') =>
    handlers.get(channel)!({ senderFrame: { url: frameUrl } } as unknown as IpcMainInvokeEvent, input)
  return { ipcMain, handlers, invoke }
}

describe('Electron IPC door', () => {
  const { ipcMain, handlers, invoke } = fakeIpcMain()
  registerIpcDoor(ipcMain, createDispatch(testCollection('electron').handlers))

  it('registers exactly one channel per page method of the contract, none for the command line only ones', () => {
    expect([...handlers.keys()].sort()).toEqual(pageMethodNames.map(channelOf).sort())
  })

  it('answers the app frame through the shared dispatch', async () => {
    const result = (await invoke(channelOf('listDecks'), {})) as { ok: boolean; value: { id: string }[] }
    expect(result.ok).toBe(true)
    expect(result.value.map((d) => d.id)).toEqual(['alpha', 'beta'])
  })

  it('refuses other frames', async () => {
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'retransmit://other/index.html', '']) {
      expect(await invoke(channelOf('listDecks'), {}, url)).toMatchObject({ ok: false, code: 'forbidden' })
    }
  })

  it('validates every payload with the contract schema', async () => {
    expect(await invoke(channelOf('search'), { query: 7 })).toMatchObject({ ok: false, code: 'validation' })
    expect(await invoke(channelOf('search'), { query: 'x'.repeat(501) })).toMatchObject({
      ok: false,
      code: 'validation'
    })
    expect(await invoke(channelOf('getCard'), { id: '../../etc/passwd' })).toMatchObject({
      ok: false,
      code: 'validation'
    })
    expect(await invoke(channelOf('listDecks'), { extra: 1 })).toMatchObject({ ok: false, code: 'validation' })
    expect(await invoke(channelOf('previewImport'), { fileName: '../x.csv', dataBase64: '' })).toMatchObject({
      ok: false,
      code: 'validation'
    })
  })
})
