// Fresh certificates for TLS drills, made at test time with @peculiar/x509 over WebCrypto
// (ECDSA P-256: milliseconds to generate, unlike RSA keys in pure JS).
import { webcrypto } from 'node:crypto'
import 'reflect-metadata' // @peculiar/x509 uses tsyringe, which needs the Reflect polyfill
import * as x509 from '@peculiar/x509'

export interface TestCertificates {
  /** The CA certificate (PEM): the only thing a client should trust. */
  ca: string
  /** The server's certificate (PEM), signed by the CA. */
  cert: string
  /** The server's private key (PEM, PKCS#8). */
  key: string
}

export interface TestCertificateOptions {
  /** Default 'localhost'. */
  commonName?: string
  /** DNS names and IP addresses for subjectAltName; default ['localhost', '127.0.0.1', '::1']. */
  altNames?: string[]
  /** Validity in days from now; default 1. */
  days?: number
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

export async function createTestCertificates(options: TestCertificateOptions = {}): Promise<TestCertificates> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])
  const commonName = options.commonName ?? 'localhost'
  const altNames = options.altNames ?? ['localhost', '127.0.0.1', '::1']
  const notBefore = new Date(Date.now() - 60_000)
  const notAfter = new Date(Date.now() + (options.days ?? 1) * 86_400_000)

  const caKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Retransmit Drill CA',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)
    ]
  })

  const serverKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify'
  ])) as webcrypto.CryptoKeyPair
  const isIp = (name: string) => /^[\d.]+$/.test(name) || name.includes(':')
  const serverCert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${commonName}`,
    issuer: caCert.subject,
    notBefore,
    notAfter,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(altNames.map((n) => ({ type: isIp(n) ? 'ip' : 'dns', value: n })))
    ]
  })

  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey)
  const key = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(pkcs8)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()}\n-----END PRIVATE KEY-----\n`
  return { ca: caCert.toString('pem'), cert: serverCert.toString('pem'), key }
}
