#!/usr/bin/env node
// `npm start`: check Node, find Electron, build, then run the desktop app. The Node version is
// checked before anything else loads (see require-node.js); the rest is in start-desktop.js.
import { requireNode } from './require-node.js'

requireNode('npm start')
const { start } = await import('./start-desktop.js')
process.exitCode = await start()
