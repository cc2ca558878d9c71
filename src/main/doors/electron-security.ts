// The Electron window's security settings, kept apart from the lifecycle so a test can
// read them without the Electron binary (see test/main/doors/electron-security.test.ts).
import { join, normalize, sep } from 'node:path'
import { CONTENT_SECURITY_POLICY } from './http-server'

/** The renderer is served from a custom protocol, never file://. */
export const APP_SCHEME = 'retransmit'
export const APP_ORIGIN = `${APP_SCHEME}://app`

export const windowContentSecurityPolicy = CONTENT_SECURITY_POLICY

export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false
  } as const
}

/** Maps `retransmit://app/<path>` to a file inside the renderer folder, or null. */
export function resolveAppAsset(rendererDir: string, requestUrl: string): string | null {
  const url = new URL(requestUrl)
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'app') return null
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html'
  const file = normalize(join(rendererDir, relative))
  const root = rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep
  return file.startsWith(root) ? file : null
}

/** IPC is answered only for the app's own top frame. */
export function isTrustedSender(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false
  try {
    const url = new URL(frameUrl)
    return url.protocol === `${APP_SCHEME}:` && url.host === 'app'
  } catch {
    return false
  }
}
