// The real `retransmit` CLI entry in a process of its own (for sync-server, which runs until a signal).
import { main } from '../../../../src/main/doors/cli'

process.exitCode = await main(process.argv.slice(2))
