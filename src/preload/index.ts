// The narrow bridge: one function per contract method, nothing else. No ipcRenderer, no
// Node, no Electron API reaches the page.
import { contextBridge, ipcRenderer } from 'electron'
import { methodNames, type Bridge } from '../shared/api'

const api = Object.fromEntries(
  methodNames.map((method) => [method, (input: unknown) => ipcRenderer.invoke(`api:${method}`, input)])
) as Bridge

contextBridge.exposeInMainWorld('api', api)
