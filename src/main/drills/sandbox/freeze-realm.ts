// Drill code shares one realm with the tests that judge it, so nothing they both use may be
// changeable by drill code: not Array.prototype.includes, Promise.prototype.then, Buffer's equals,
// assert.deepStrictEqual, net.Socket.prototype.write, nor the globals (Buffer, setTimeout, fetch).
// Two steps, both before any drill code exists:
// 1. lockDownIntrinsics(): SES's lockdown() (the Endo project's `ses` package, which exists to do
//    exactly this) freezes every JavaScript intrinsic. It runs first, before the guards patch
//    Node's objects.
// 2. freezeSurface(): freezes what lockdown does not know: the Node modules drill code may load,
//    the harness module, and every global, with each class's prototype chain. Prototype data
//    properties become accessors whose setter defines an own property on the instance, so Node's
//    own code (`this._events = ...` in every EventEmitter) keeps working on frozen prototypes
//    (the "override mistake"; SES's `overrideTaming` does the same for the intrinsics).
// Instances reached from a module (http.globalAgent, say) are left as they are: their classes are
// frozen, their own state is theirs.
import 'ses'

declare function lockdown(options: Record<string, string>): void

export function lockDownIntrinsics(): void {
  lockdown({
    // V8's own stacks: source-mapped into the learner's lines (stack-map.ts).
    errorTaming: 'unsafe',
    stackFiltering: 'verbose',
    overrideTaming: 'severe',
    // Node's console and process-level handlers stay as Node made them; the sandbox replaces
    // console itself (output-capture.ts) and reports uncaught errors (run-tests.ts).
    consoleTaming: 'unsafe',
    errorTrapping: 'none',
    unhandledRejectionTrapping: 'none',
    evalTaming: 'unsafe-eval',
    domainTaming: 'unsafe',
    reporting: 'none'
  })
}

type Key = string | symbol

/**
 * Freeze each root and what it exposes: functions, their prototypes, plain namespace objects.
 * `instances` are not frozen themselves (they hold state), only the classes they come from.
 */
export function freezeSurface(roots: unknown[], instances: unknown[] = []): void {
  const seen = new WeakSet<object>()
  const pending: Array<{ target: object; asPrototype: boolean }> = []
  const visit = (value: unknown, asPrototype: boolean) => {
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      if (!seen.has(value)) {
        seen.add(value)
        pending.push({ target: value, asPrototype })
      }
    }
  }
  for (const root of roots) visit(root, false)
  for (const instance of instances)
    if (instance !== null && typeof instance === 'object') visit(Reflect.getPrototypeOf(instance), true)
  while (pending.length > 0) {
    const { target, asPrototype } = pending.pop() as { target: object; asPrototype: boolean }
    // Hardened by lockdown already, with everything it reaches (and some of it, such as
    // Error.stackTraceLimit, V8 reads only as a plain data property).
    if (Object.isFrozen(target)) continue
    const inherited = asPrototype || typeof target === 'function'
    for (const key of Reflect.ownKeys(target)) {
      const desc = Reflect.getOwnPropertyDescriptor(target, key)
      if (!desc) continue
      if ('value' in desc) {
        const value: unknown = desc.value
        if (typeof value === 'function') visit(value, false)
        else if (key === 'prototype') visit(value, true)
        else if (isNamespace(value)) visit(value, false)
        lockProperty(target, key, desc, inherited)
      } else {
        if (desc.get) visit(desc.get, false)
        if (desc.set) visit(desc.set, false)
        // A setter on a module or a class itself (http.globalAgent, EventEmitter.captureRejections)
        // changes state every test shares: it refuses from now on. Prototype setters act on the
        // instance they are called on, and stay.
        if (desc.configurable && desc.set && !asPrototype)
          Reflect.defineProperty(target, key, { set: refusingSetter(key), configurable: false })
        else if (desc.configurable) Reflect.defineProperty(target, key, { configurable: false })
      }
    }
    visit(Reflect.getPrototypeOf(target), true)
    Object.preventExtensions(target)
  }
}

/**
 * A data property that cannot change any more. Node defines a few prototype fields as writable
 * but non-configurable (EventEmitter's capture flag): those can be neither converted nor frozen
 * without breaking every instance, so they stay writable (they are internal flags, not behaviour
 * a test relies on).
 */
function lockProperty(target: object, key: Key, desc: PropertyDescriptor, inherited: boolean): void {
  // V8 reads the realm's original Error.stackTraceLimit (reached here through intrinsics newer
  // than SES, such as SuppressedError) only while it is a plain number: leave it alone.
  if (key === 'stackTraceLimit') return
  if (!desc.configurable) {
    if (!desc.writable) return
    if (!inherited) Reflect.defineProperty(target, key, { writable: false })
    return
  }
  if (inherited && desc.writable) allowOverride(target, key, desc)
  else Reflect.defineProperty(target, key, { writable: false, configurable: false })
}

function refusingSetter(key: Key) {
  return function setShared() {
    throw new TypeError(`Cannot assign to '${String(key)}': shared settings are frozen in drills`)
  }
}

/**
 * The classes behind objects the sandbox made at start-up (sockets, native handles, hashes,
 * timers, parsers) and behind what those objects hold, `depth` properties down: freezes each
 * prototype chain found (as freezeSurface does for instances), so drill code cannot change how
 * the tests' own sockets, timers or hashes behave by reaching a class through its own objects.
 */
export function freezeReachableClasses(samples: unknown[], depth = 4): void {
  const seen = new WeakSet<object>()
  const instances: object[] = []
  const walk = (value: unknown, left: number) => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return
    seen.add(value)
    if (typeof value === 'object') instances.push(value)
    if (left === 0) return
    for (const key of Reflect.ownKeys(value)) {
      const desc = Reflect.getOwnPropertyDescriptor(value, key)
      if (desc && 'value' in desc) walk(desc.value, left - 1)
    }
  }
  for (const sample of samples) walk(sample, depth)
  freezeSurface([], instances)
}

/** Plain objects and arrays (constants, sub-namespaces such as util.types): not class instances. */
function isNamespace(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false
  const proto = Reflect.getPrototypeOf(value)
  return proto === null || proto === Object.prototype || Array.isArray(value)
}

/**
 * A frozen data property on an object others inherit from: reading still gives the value;
 * assigning on an inheriting object creates its own property, as it would before freezing;
 * assigning on the frozen object itself fails.
 */
function allowOverride(target: object, key: Key, desc: PropertyDescriptor): void {
  const value: unknown = desc.value
  Reflect.defineProperty(target, key, {
    get: function getFrozen() {
      return value
    },
    set: function setOwn(this: unknown, next: unknown) {
      if (this === target || (typeof this !== 'object' && typeof this !== 'function') || this === null) {
        throw new TypeError(`Cannot assign to read only property '${String(key)}': built-ins are frozen in drills`)
      }
      // Fails on an object that takes no new members (a shared instance, freezeGlobals): say so,
      // as assigning to it would in strict mode, rather than pretend it worked.
      if (!Reflect.defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true })) {
        throw new TypeError(
          `Cannot add property '${String(key)}': this object is shared with the tests and frozen in drills`
        )
      }
    },
    enumerable: desc.enumerable ?? false,
    configurable: false
  })
}

/**
 * Every global becomes a constant (lazy ones, such as fetch, are loaded first) and what it holds
 * is frozen. `replacements` are installed instead of the named globals (the allow-listed process).
 */
export function freezeGlobals(replacements: Record<string, unknown>): void {
  const g = globalThis as unknown as Record<Key, unknown>
  const values: unknown[] = []
  for (const key of Reflect.ownKeys(g)) {
    if (typeof key === 'string' && key in replacements) continue
    const desc = Reflect.getOwnPropertyDescriptor(g, key)
    if (!desc?.configurable) {
      // Non-configurable but writable (undici's global dispatcher, under a Symbol.for key anyone
      // can name): it may still be made read-only.
      if (desc && 'value' in desc) {
        if (desc.writable) Reflect.defineProperty(g, key, { writable: false })
        values.push(desc.value)
      }
      continue
    }
    let value: unknown
    try {
      value = g[key]
    } catch {
      continue
    }
    Reflect.defineProperty(g, key, {
      value,
      writable: false,
      enumerable: desc.enumerable ?? false,
      configurable: false
    })
    values.push(value)
  }
  for (const [name, value] of Object.entries(replacements)) {
    Reflect.defineProperty(g, name, { value, writable: false, enumerable: false, configurable: false })
  }
  // globalThis itself is left extensible: a drill may declare globals of its own. Instances among
  // the globals (console, performance, crypto, navigator) keep their state; their classes freeze.
  const kept = values.filter((v) => v !== globalThis)
  // Shared instances among the globals (performance, crypto, navigator) take no new members, so
  // drill code cannot shadow a method the tests call (crypto.getRandomValues, performance.now).
  // console is the sandbox's own capture (output-capture.ts) and only carries output.
  for (const v of kept)
    if (typeof v === 'object' && v !== null && !isNamespace(v) && v !== replacements.console && v !== g.console)
      Object.preventExtensions(v)
  freezeSurface(
    kept.filter((v) => typeof v === 'function' || isNamespace(v)),
    kept.filter((v) => typeof v === 'object' && v !== null && !isNamespace(v))
  )
}
