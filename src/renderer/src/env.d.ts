/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { Bridge } from '../../shared/api'

declare global {
  interface Window {
    /** Present only in the Electron window (the preload bridge). */
    api?: Bridge
  }
}
