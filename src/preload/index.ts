// The narrow bridge: one function per contract method, nothing else. No ipcRenderer, no
// Node, no Electron API reaches the page.
import { contextBridge, ipcRenderer } from 'electron'
import { pageMethodNames, type Bridge } from '../shared/api'

const api = Object.fromEntries(
  pageMethodNames.map((method) => [method, (input: unknown) => ipcRenderer.invoke(`api:${method}`, input)])
) as Bridge

contextBridge.exposeInMainWorld('api', api)
