// Door 1: the Electron app. Lifecycle and the window only; everything else is services.
import { fileURLToPath, pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, utilityProcess } from 'electron'
import { openCollection, type Collection } from './app/collection'
import { findMediaFile, MEDIA_CONTENT_SECURITY_POLICY } from './app/media'
import { locateContentDir, locateDrillRunnerFiles, locateRendererDir } from './app/locate'
import { configureRunner, shutdownRunner } from './drills'
import { utilityProcessLauncher } from './drills/utility-process-launcher'
import { createDispatch } from './doors/dispatch'
import { registerIpcDoor } from './doors/electron-ipc'
import {
  APP_ORIGIN,
  APP_SCHEME,
  resolveAppAsset,
  secureWebPreferences,
  windowContentSecurityPolicy
} from './doors/electron-security'
import { refuseInspectorSignal } from './app/inspector-signal'

refuseInspectorSignal()

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
])

let collection: Collection | null = null

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1180,
    height: 820,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Retransmit',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(fileURLToPath(new URL('../preload/index.cjs', import.meta.url)))
  })
  window.once('ready-to-show', () => window.show())
  // Navigation away from the app and new windows are denied; http(s) links the user
  // clicked open in the system browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(APP_ORIGIN)) event.preventDefault()
  })
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  void window.loadURL(`${APP_ORIGIN}/index.html`)
}

app.whenReady().then(() => {
  // Drills run in Electron utility processes (the RunAsNode fuse is off), from prebuilt scripts.
  const runnerFiles = locateDrillRunnerFiles()
  configureRunner({ ...runnerFiles, launcher: utilityProcessLauncher((...args) => utilityProcess.fork(...args)) })
  const rendererDir = locateRendererDir() ?? fileURLToPath(new URL('../renderer', import.meta.url))
  protocol.handle(APP_SCHEME, (request) => {
    const media = collection ? findMediaFile(collection.mediaDir, new URL(request.url).pathname) : null
    if (media) {
      return net.fetch(pathToFileURL(media.path).href).then((response) => {
        const headers = new Headers({
          'content-type': media.contentType,
          'content-security-policy': MEDIA_CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff'
        })
        return new Response(response.body, { status: response.status, headers })
      })
    }
    const file = resolveAppAsset(rendererDir, request.url)
    if (!file) return new Response('not found', { status: 404 })
    return net.fetch(pathToFileURL(file).href).then((response) => {
      const headers = new Headers(response.headers)
      headers.set('content-security-policy', windowContentSecurityPolicy)
      return new Response(response.body, { status: response.status, headers })
    })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)

  try {
    collection = openCollection({
      dataDir: app.getPath('userData'),
      contentDir: locateContentDir(),
      door: 'electron',
      // A damaged file at start: the window shows the recovery page instead of failing to open.
      recover: true
    })
  } catch (error) {
    // A read-only or full data folder: say so (StorageError's message says what to do) and quit.
    dialog.showErrorBox(
      'Retransmit cannot open your collection',
      error instanceof Error ? error.message : String(error)
    )
    app.quit()
    return
  }
  registerIpcDoor(ipcMain, createDispatch(collection.handlers))
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

app.on('will-quit', () => {
  void shutdownRunner()
  collection?.close()
  collection = null
})
