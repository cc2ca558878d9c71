// Where the collection lives when no Electron userData folder is available.
import { homedir } from 'node:os'
import { join } from 'node:path'

export const DATA_FILE_NAME = 'collection.sqlite'

/** --data-dir, else RETRANSMIT_DATA_DIR, else the platform's per-user data folder. */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform
): string {
  if (flag) return flag
  if (env.RETRANSMIT_DATA_DIR) return env.RETRANSMIT_DATA_DIR
  const home = env.HOME ?? homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Retransmit')
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Retransmit')
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'retransmit')
}
