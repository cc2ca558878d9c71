// node:http loaded with require, not an ES import. To give an ES module its view of node:http,
// Node 24 reads every export, and the lazy getters among them load undici (its fetch and
// WebSocket): about 150 ms of every `serve` start, for nothing the server uses.
import { createRequire } from 'node:module'

const http = createRequire(import.meta.url)('node:http') as typeof import('node:http')

export const createServer = http.createServer
