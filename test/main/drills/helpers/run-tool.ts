// Real tools nobody here wrote (curl, openssl, dig, kdig), run on the host for the real-peer tests.
import { execFile, spawn } from 'node:child_process'

/** Whether `tool` is on PATH (a missing tool skips its tests with the reason). */
export const has = (tool: string): Promise<boolean> =>
  new Promise<boolean>((resolve) => execFile('sh', ['-c', `command -v ${tool}`], (err) => resolve(!err)))

/**
 * Runs a tool; resolves its exit code and output (never rejects: the test asserts). `until`: stop
 * it once its output holds this text (s_client -quiet would otherwise wait for the server's close).
 */
export function run(
  cmd: string,
  args: string[],
  input = '',
  timeoutMs = 8000,
  until?: string
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('latin1')
      if (until !== undefined && stdout.includes(until)) child.kill()
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    child.stdin.end(input)
  })
}
