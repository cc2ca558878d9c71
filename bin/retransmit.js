#!/usr/bin/env node
// The `retransmit` command. The Node version is checked before anything else is loaded: the rest
// (scripts/run-cli.js) uses APIs an old Node lacks, and would fail with a SyntaxError instead.
import { requireNode } from '../scripts/require-node.js'

requireNode('retransmit')
const { run } = await import('../scripts/run-cli.js')
process.exitCode = await run(process.argv.slice(2))
