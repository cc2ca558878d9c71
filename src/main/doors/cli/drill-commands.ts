// drill list | run | start | hint. A Submit is graded from the host's record of the attempt,
// as the page's is: `drill start` opens an attempt (timed from then), `drill hint` shows a hint
// and records it, and a Run or Submit with no attempt open starts one with no known start.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { DrillRunResult, DrillSubmitOutcome } from '../../../shared/drills'
import { RATING_NAMES } from '../../../shared/study'
import { shutdownRunner } from '../../drills'
import { locateContentDir } from '../../app/locate'
import { configureDrillRunner, parse, UsageError, withCollection, type CliIo } from './shared'

export async function drill(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args
  configureDrillRunner()
  try {
    switch (sub) {
      case 'list':
        return await list(rest, io)
      case 'run':
        return await run(rest, io)
      case 'start':
        return await start(rest, io)
      case 'hint':
        return await hint(rest, io)
      default:
        throw new UsageError(
          sub
            ? `unknown drill command '${sub}' (list, run, start, hint)`
            : 'drill needs a command: list, run, start or hint'
        )
    }
  } finally {
    // The runner keeps a warm sandbox process; the CLI must not wait on it.
    await shutdownRunner()
  }
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {})
  return withCollection(values['data-dir'], io, async (call) => {
    const drills = await call('listDrills', {})
    if (values.json) io.json({ drills })
    else {
      const width = Math.max(...drills.map((d) => d.id.length), 2)
      for (const d of drills)
        io.out(
          `${d.id.padEnd(width)}  ${d.deck.padEnd(22)} ${d.difficulty.padEnd(8)} ${d.lastSubmit ?? 'not tried'}  ${d.title}`
        )
    }
    return 0
  })
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    file: { type: 'string' },
    solution: { type: 'boolean' },
    submit: { type: 'boolean' },
    pcap: { type: 'string' },
    keylog: { type: 'string' }
  })
  const [id, extra] = positionals
  if (!id) throw new UsageError('drill run needs a drill ID (see `retransmit drill list`)')
  if (extra) throw new UsageError(`drill run takes one ID (got '${extra}' too)`)
  if (values.file && values.solution) throw new UsageError('use --file PATH or --solution, not both')
  return withCollection(values['data-dir'], io, async (call) => {
    /** After the run: its trace as pcapng and its TLS key log, where asked. */
    const writeTrace = async () => {
      if (!values.pcap && !values.keylog) return
      const exported = await call('exportDrillTrace', { id })
      if (values.pcap) writeFileSync(resolve(values.pcap), Buffer.from(exported.base64, 'base64'))
      if (values.keylog) writeFileSync(resolve(values.keylog), exported.keyLog)
      if (values.json) return
      if (values.pcap) {
        const partial = exported.partial ? `, ${exported.partial} payloads only in part` : ''
        io.out(
          `Trace: ${exported.packets} packets to ${values.pcap} (${exported.bytes} bytes${partial}; TLS keys inside).`
        )
      }
      if (values.keylog)
        io.out(`TLS key log: ${exported.keyLog.split('\n').filter(Boolean).length} lines to ${values.keylog}.`)
    }
    if (values.solution) {
      // The shipped reference solution against every test; nothing is recorded or graded.
      const result = await call('runDrillSolution', { id })
      report(result, null, values.json === true, io)
      await writeTrace()
      return result.status === 'pass' ? 0 : 1
    }
    const detail = await call('getDrill', { id })
    let code = detail.draft ?? detail.starter
    if (values.file) {
      try {
        code = readFileSync(resolve(values.file), 'utf8')
      } catch (error) {
        throw new UsageError(`cannot read ${values.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
      }
    }
    if (values.submit) {
      const outcome = await call('submitDrill', { id, code })
      report(outcome.result, outcome, values.json === true, io)
      await writeTrace()
      return outcome.result.status === 'pass' ? 0 : 1
    }
    const result = await call('runDrill', { id, code })
    report(result, null, values.json === true, io)
    await writeTrace()
    return result.status === 'pass' ? 0 : 1
  })
}

async function start(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' } })
  const [id] = positionals
  if (!id) throw new UsageError('drill start needs a drill ID')
  if (!values.out) throw new UsageError('drill start needs --out DIR')
  return withCollection(values['data-dir'], io, async (call) => {
    // Opens an attempt (or continues the open one): a Submit within 10 minutes without hints is Easy.
    const detail = await call('openDrill', { id })
    const dir = resolve(values.out!)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'solution.ts'), detail.draft ?? detail.starter)
    writeFileSync(join(dir, 'visible.test.ts'), detail.visibleTests)
    // Types for `retransmit:test`, so an editor understands the tests' imports.
    const contentDir = locateContentDir(io.env)
    const types = contentDir ? join(contentDir, 'drills', 'retransmit-test.d.ts') : null
    if (types && existsSync(types)) copyFileSync(types, join(dir, 'retransmit-test.d.ts'))
    const hints = detail.hintCount
      ? `${detail.hintCount} hint${detail.hintCount === 1 ? '' : 's'}, one at a time: \`retransmit drill hint ${id}\` (a hint makes a pass Good at most).`
      : ''
    writeFileSync(
      join(dir, 'README.md'),
      `# ${detail.title}\n\n${detail.task}\n\n${hints}\n\n## Running the tests\n\n` +
        `Edit \`solution.ts\`, then run the visible tests, or submit to run the hidden ones too:\n\n` +
        '```sh\n' +
        `retransmit drill run ${id} --file ${join(values.out!, 'solution.ts')}\n` +
        `retransmit drill run ${id} --file ${join(values.out!, 'solution.ts')} --submit\n` +
        '```\n'
    )
    io.out(
      `Wrote ${detail.title} to ${values.out}: solution.ts (the starter), visible.test.ts, README.md, retransmit-test.d.ts.`
    )
    return 0
  })
}

/** Shows the next hint of the attempt under way (starting one if none is open), recorded by the host. */
async function hint(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {})
  const [id] = positionals
  if (!id) throw new UsageError('drill hint needs a drill ID')
  return withCollection(values['data-dir'], io, async (call) => {
    const detail = await call('getDrill', { id })
    const shown = detail.attempt?.hints ?? []
    const next = Array.from({ length: detail.hintCount }, (_v, i) => i + 1).find((n) => !shown.some((h) => h.n === n))
    if (next === undefined) {
      if (values.json) io.json({ hints: shown, of: detail.hintCount })
      else
        io.out(
          detail.hintCount
            ? `All ${detail.hintCount} hints are shown already:\n\n${shown.map((h) => `Hint ${h.n}: ${h.text}`).join('\n\n')}`
            : `${id} has no hints.`
        )
      return 0
    }
    const attempt = await call('showHint', { id, n: next })
    const text = attempt.hints.find((h) => h.n === next)?.text ?? ''
    if (values.json) io.json({ n: next, of: detail.hintCount, text })
    else io.out(`Hint ${next} of ${detail.hintCount}: ${text}`)
    return 0
  })
}

function report(result: DrillRunResult, outcome: DrillSubmitOutcome | null, json: boolean, io: CliIo): void {
  if (json) {
    io.json(
      outcome
        ? { ...result, grade: outcome.grade, gradeReason: outcome.gradeReason, cardsScheduled: outcome.cardsScheduled }
        : result
    )
    return
  }
  const line = (test: DrillRunResult['tests'][number]) => {
    const mark = test.status === 'pass' ? 'PASS' : test.status.toUpperCase()
    io.out(`${mark.padEnd(7)} ${test.name} (${Math.round(test.durationMs)} ms)`)
    if (test.status !== 'pass' && test.message) io.out(`        ${test.message.replace(/\n/g, '\n        ')}`)
  }
  // Stretch tests ("what real servers also do") come last, apart, and do not decide the verdict.
  const core = result.tests.filter((t) => !t.stretch)
  const stretch = result.tests.filter((t) => t.stretch)
  core.forEach(line)
  if (stretch.length) {
    io.out('Stretch (not needed to pass):')
    stretch.forEach(line)
  }
  const passed = core.filter((t) => t.status === 'pass').length
  io.out(
    `${result.status.toUpperCase()}: ${passed}/${core.length} tests passed in ${result.durationMs} ms${result.message ? ` — ${result.message}` : ''}`
  )
  if (result.isolation.length > 0) io.out(`Isolation: ${result.isolation.join('; ')}`)
  if (outcome?.grade)
    io.out(
      `Graded ${RATING_NAMES[outcome.grade]}: ${outcome.gradeReason}; scheduled ${outcome.cardsScheduled.length} linked card(s).`
    )
  else if (outcome) io.out(`Not graded: ${outcome.gradeReason}.`)
}
