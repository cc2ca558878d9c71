// cbor-x (under automerge-repo) loads cbor-extract, a native decoder, when it can and falls back
// to its JavaScript decoder when loading throws. The native package's prebuilt binaries are not on
// every registry (npm ci then refuses the lock file), so this stand-in throws on purpose.
throw new Error('cbor-extract is not installed: cbor-x uses its JavaScript decoder')
