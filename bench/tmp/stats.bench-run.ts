import { it } from 'vitest'
import { openCollection } from '../../src/main/app/collection'
import { buildCollection, TIERS } from '../build-collection'
it('stats', async () => {
  const b = buildCollection(process.cwd() + '/content', TIERS[0]!)
  const c = openCollection({ dataDir: b.dataDir, contentDir: process.cwd() + '/content', door: 'cli', autoBackup: false })
  for (let i = 0; i < 3; i++) { const s = performance.now(); c.handlers.getStats({ days: 365 }); console.log('stats', performance.now() - s) }
  const plans = c.db.prepare("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name IN ('cards','review_log')").all()
  console.log(plans.map((p: any) => p.name).join(' '))
  c.close()
  console.log(b.dataDir)
}, 600000)
