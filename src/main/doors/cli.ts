// Door 3: the `retransmit` command. Parses arguments, calls the same services through the
// same dispatch as the other doors, prints text or --json. Exit codes: 0 success, 1 the
// command ran and failed, 2 bad usage or bad input.
import { version } from '../../../package.json'
import { backup, restore } from './cli/backup-commands'
import { check, exportDecks, importFile, search, stats, sync } from './cli/collection-commands'
import { drill } from './cli/drill-commands'
import { serve } from './cli/serve'
import { syncDevices, syncServer } from './cli/sync-commands'
import { UsageError, type CliIo } from './cli/shared'

import { refuseInspectorSignal } from '../app/inspector-signal'

export type { CliIo } from './cli/shared'

refuseInspectorSignal()

const HELP = `Usage: retransmit <command> [options]

Commands:
  serve [--port N] [--no-open]      Run Retransmit in your browser (127.0.0.1 only, token-protected)
  stats [--json]                    Decks with note, card, quiz and drill counts, due and new
  search QUERY [--json] [--limit N] Full-text search over cards and notes
  sync [--json]                     Sync the shipped content/ library into the collection
  check [DIR] [--json]              Check a content folder for errors without writing anything
  import FILE [--deck NAME] [--dry-run] [--json] [--columns ROLES] [--header | --no-header]
                                    Import markdown questions, a content file or folder, a
                                    CSV/TSV or Anki text export, or an Anki .apkg; --dry-run
                                    previews; --columns front,back,ignore,tags maps columns
  export --out DIR [--deck ID] [--json]
                                    Write decks in the content format
  drill list [--json]               The code drills and how you did
  drill run ID [--file PATH | --solution] [--submit] [--pcap FILE] [--keylog FILE] [--json]
                                    Run a drill's visible tests on your code (your saved draft
                                    unless --file); --submit also runs the hidden tests and
                                    grades it; --solution checks the reference solution;
                                    --pcap writes the run's trace as pcapng (TLS keys inside),
                                    --keylog its TLS secrets (NSS key log)
  drill start ID --out DIR          Write the starter and visible tests to solve in your editor
  backup [--out FILE] [--json]      Back up the collection now (SQLite's online backup, safe while
                                    the app runs); prints the file (default: <data folder>/backups/)
  restore FILE [--json]             Restore a backup: checks FILE is a healthy Retransmit collection,
                                    keeps the current one as collection.sqlite.before-restore-<time>,
                                    then puts FILE's copy in its place. Close the desktop app and
                                    \`retransmit serve\` first (refused while they have it open)

  sync-server --port N --data-dir DIR [--host ADDR]
                                    Run the server devices sync through (127.0.0.1 unless --host);
                                    prints the token devices need (kept in DIR/token, or
                                    $RETRANSMIT_SYNC_TOKEN)
  sync-devices [--server URL --token TOKEN] [--json]
                                    Sync this collection with the sync server (the address and
                                    token are remembered, as Settings → Sync does)

Options for every command:
  --data-dir DIR        where the collection lives (else $RETRANSMIT_DATA_DIR,
                        else the platform data folder, e.g. ~/.local/share/retransmit)
  -h, --help            show this help
  -v, --version         print the version

Exit codes: 0 success, 1 the command ran and failed, 2 bad usage or bad input.`

/**
 * What the CLI prints quotes users' files (titles, ids, messages); control characters other than
 * newline and tab are shown escaped, so a crafted file cannot drive the terminal (OSC 52, etc.).
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\u{${ch.charCodeAt(0).toString(16)}}`)
}

/**
 * JSON for --json: what JSON.stringify writes, with U+007F-U+009F also escaped (as \u007f...), which
 * JSON.stringify leaves raw. So the output is valid JSON (no terminal escapes inside strings) and
 * still cannot drive a terminal (C0 controls are escaped by JSON.stringify itself).
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

interface Sink {
  write: (text: string) => unknown
  isTTY?: boolean
}

/** The CLI's io over two streams: human text made terminal-safe, JSON written as JSON. */
export function streamIo(stdout: Sink, stderr: Sink, env: NodeJS.ProcessEnv): CliIo {
  let lastLength = 0
  return {
    out: (text) => stdout.write(terminalSafe(text) + '\n'),
    json: (value) => stdout.write(jsonText(value) + '\n'),
    err: (text) => stderr.write(terminalSafe(text) + '\n'),
    progress: (fraction, message) => {
      const line = `${String(Math.round(fraction * 100)).padStart(3)}% ${message}`
      if (stderr.isTTY) {
        stderr.write(`\r${line.padEnd(lastLength)}${fraction >= 1 ? '\n' : ''}`)
        lastLength = line.length
      } else if (fraction >= 1 || fraction === 0) stderr.write(line + '\n')
    },
    env
  }
}

const COMMANDS: Record<string, (args: string[], io: CliIo) => number | Promise<number>> = {
  serve,
  stats,
  search,
  sync,
  check,
  import: importFile,
  export: exportDecks,
  drill,
  backup,
  restore,
  'sync-server': syncServer,
  'sync-devices': syncDevices
}

export async function main(
  argv: string[],
  io: CliIo = streamIo(process.stdout, process.stderr, process.env)
): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      io.out(HELP)
      return command ? 0 : 2
    }
    if (command === '-v' || command === '--version') {
      io.out(version)
      return 0
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(HELP)
      return 0
    }
    const run = COMMANDS[command]
    if (!run) throw new UsageError(`unknown command '${command}'`)
    return await run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`retransmit: ${error.message}\nRun 'retransmit --help' for usage.`)
      return 2
    }
    io.err(`retransmit: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}
