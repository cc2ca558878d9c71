// Types of the `retransmit:test` module, for type-checking drill code (type-check-worker.ts): the
// very file drill authors' editors read, inlined into the build.
import HARNESS_DTS from '../../../../content/drills/retransmit-test.d.ts?raw'

export { HARNESS_DTS }
