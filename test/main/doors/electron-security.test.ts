// Reads the window configuration from the code (the Electron binary is not needed) and fails
// if a setting regresses.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/doors/http-server'
import { isTrustedSender, resolveAppAsset, secureWebPreferences } from '../../../src/main/doors/electron-security'

describe('Electron window security', () => {
  it('isolates and sandboxes the renderer with no Node', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
  })

  it('has a restrictive CSP', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'; script-src 'self';/)
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-')
  })

  it('serves only files inside the renderer folder over the app protocol', () => {
    expect(resolveAppAsset('/r', 'retransmit://app/index.html')).toBe('/r/index.html')
    expect(resolveAppAsset('/r', 'retransmit://app/assets/a.js')).toBe('/r/assets/a.js')
    expect(resolveAppAsset('/r', 'retransmit://app/..%2F..%2Fetc%2Fpasswd')).toBeNull()
    expect(resolveAppAsset('/r', 'retransmit://other/index.html')).toBeNull()
  })

  it('answers IPC only from the app origin', () => {
    expect(isTrustedSender('retransmit://app/index.html')).toBe(true)
    expect(isTrustedSender('https://evil.example/')).toBe(false)
    expect(isTrustedSender('file:///etc/passwd')).toBe(false)
    expect(isTrustedSender(undefined)).toBe(false)
  })

  it('packages with the fuses that keep Node out of the shipped app', async () => {
    const { parse } = await import('yaml')
    const config = parse(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')) as {
      electronFuses: Record<string, boolean>
    }
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true
    })
  })

  it('runs drills in utility processes, never as ELECTRON_RUN_AS_NODE (the fuse is off)', () => {
    const main = readFileSync(new URL('../../../src/main/index.ts', import.meta.url), 'utf8')
    expect(main).toMatch(/configureRunner\(\{[^}]*launcher: utilityProcessLauncher\(/)
    const drillsDir = new URL('../../../src/main/drills/', import.meta.url)
    const sources = readdirSync(drillsDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
    for (const file of sources)
      expect(readFileSync(new URL(file, drillsDir), 'utf8'), file).not.toMatch(/ELECTRON_RUN_AS_NODE\s*[:=]/)
  })

  it('wires navigation, new-window and permission denial in the main process', () => {
    const main = readFileSync(new URL('../../../src/main/index.ts', import.meta.url), 'utf8')
    expect(main).toContain("on('will-navigate'")
    expect(main).toMatch(/setWindowOpenHandler\([\s\S]*?action: 'deny'/)
    expect(main).toMatch(/setPermissionRequestHandler\([^)]*\)\s*=>\s*callback\(false\)/)
    expect(main).toContain('secureWebPreferences(')
    expect(main).not.toMatch(/loadFile\(|file:\/\//)
    const preload = readFileSync(new URL('../../../src/preload/index.ts', import.meta.url), 'utf8')
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/)
    expect(preload).toContain("exposeInMainWorld('api', api)")
  })
})
