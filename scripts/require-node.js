// The first thing bin/retransmit.js and scripts/start.js run. It must parse and run on any Node
// people still have (plain syntax, `process` only, no imports), so that an old Node gets this
// message instead of a SyntaxError from code further on.
var NEEDED = [22, 12]

/** Exits with code 2 and says how to get a newer Node when this one is older than 22.12. */
export function requireNode(command) {
  var parts = process.versions.node.split('.')
  var major = Number(parts[0])
  var minor = Number(parts[1])
  if (major > NEEDED[0] || (major === NEEDED[0] && minor >= NEEDED[1])) return
  process.stderr.write(
    command +
      ': this is Node ' +
      process.versions.node +
      '; Retransmit needs Node ' +
      NEEDED.join('.') +
      ' or newer.\n' +
      'Get Node 24 (the version in .nvmrc) from https://nodejs.org/en/download, or with a version manager:\n' +
      '  nvm install 24 && nvm use 24        (nvm: https://github.com/nvm-sh/nvm)\n' +
      '  fnm install 24 && fnm use 24        (fnm: https://github.com/Schniz/fnm)\n' +
      'then run the command again.\n'
  )
  process.exit(2)
}
