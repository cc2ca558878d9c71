// Imported images are served by content address at /media/<sha256>.<ext> in browser mode
// (the Electron protocol uses the same findMediaFile): exact names only, regular files only,
// with a Content-Type of the kept image type and a CSP under which an SVG runs nothing.
import { createHash } from 'node:crypto'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MEDIA_CONTENT_SECURITY_POLICY } from '../../../src/main/app/media'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { startHttpServer, type RunningServer } from '../../../src/main/doors/http-server'
import { testCollection } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'

describe('media routes in browser mode', () => {
  let server: RunningServer
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
  const sha = createHash('sha256').update(png).digest('hex')
  const other = 'f'.repeat(64)

  beforeAll(async () => {
    const rendererDir = tempDir('retransmit-renderer-')
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>')
    const mediaDir = join(tempDir(), 'media')
    mkdirSync(mediaDir)
    writeFileSync(join(mediaDir, `${sha}.png`), png)
    writeFileSync(join(tempDir(), 'secret.txt'), 'secret')
    mkdirSync(join(mediaDir, `${other}.gif`))
    symlinkSync('/etc/hostname', join(mediaDir, `${'e'.repeat(64)}.png`))
    const collection = testCollection()
    server = await startHttpServer({ dispatch: createDispatch(collection.handlers), rendererDir, mediaDir, port: 0 })
  })
  afterAll(() => server.close())

  it('serves a stored image by its hash, without the API token, with its type and a locked-down CSP', async () => {
    const response = await fetch(`${server.url}media/${sha}.png`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(response.headers.get('content-security-policy')).toBe(MEDIA_CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png)
  })

  it.each([
    [`/media/${sha}.txt`, 'an extension that is not a kept image type'],
    [`/media/${sha.toUpperCase()}.png`, 'a hash not in lower-case hex'],
    [`/media/${sha.slice(1)}.png`, 'a short hash'],
    ['/media/../secret.txt', 'a path out of the media folder'],
    ['/media/%2e%2e%2fsecret.txt', 'an encoded path out of the media folder'],
    [`/media/${other}.gif`, 'a folder with a media name'],
    [`/media/${'e'.repeat(64)}.png`, 'a symbolic link with a media name'],
    [`/media/${'0'.repeat(64)}.png`, 'a hash that is not stored']
  ])('answers 404 for %s (%s)', async (path) => {
    const response = await fetch(`${server.url}${path.slice(1)}`)
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('secret')
  })
})
