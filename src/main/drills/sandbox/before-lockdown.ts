// Imported first by child-main.ts, so it runs before SES is loaded (freeze-realm.ts): the memory
// guards on Buffer and ArrayBuffer must be in place before lockdown makes those objects immutable.
import { guardBufferAllocation } from './memory-guard'

guardBufferAllocation()
