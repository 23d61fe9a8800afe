// Prints the descriptor-level shape of %AbstractModuleSource% as JSON: the
// one canon exports, and whether it is the host's own. Run on Node 20 (canon's
// fallback) and Node 26 (native) by tests/sources.test.ts to compare.
const { AbstractModuleSource, hasNativeAbstractModuleSource } = await import(process.argv[2]);

function shape(object) {
  const out = {};
  for (const key of Reflect.ownKeys(object)) {
    const d = Object.getOwnPropertyDescriptor(object, key);
    const show = (v) => (typeof v === 'function' ? `function ${v.name}/${v.length}` : v === AbstractModuleSource.prototype ? '%AbstractModuleSource.prototype%' : v === AbstractModuleSource ? '%AbstractModuleSource%' : typeof v === 'object' && v !== null ? 'object' : v);
    out[String(key)] = Object.fromEntries(Object.keys(d).sort().map((k) => [k, show(d[k])]));
  }
  return out;
}

function throws(f) {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e.constructor.name;
  }
}

const get = Object.getOwnPropertyDescriptor(AbstractModuleSource.prototype, Symbol.toStringTag).get;
const wasm = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
console.log(JSON.stringify({
  native: hasNativeAbstractModuleSource,
  constructor: shape(AbstractModuleSource),
  prototype: shape(AbstractModuleSource.prototype),
  constructorParent: Object.getPrototypeOf(AbstractModuleSource) === Function.prototype ? 'Function.prototype' : 'other',
  prototypeParent: Object.getPrototypeOf(AbstractModuleSource.prototype) === Object.prototype ? 'Object.prototype' : 'other',
  call: throws(() => AbstractModuleSource()),
  construct: throws(() => new AbstractModuleSource()),
  subclassConstruct: throws(() => new (class extends AbstractModuleSource {})()),
  tagOfForeign: [get.call({}), get.call(1), get.call(undefined), get.call(null), get.call(function () {}), get.call(Object.create(WebAssembly.Module.prototype))],
  tagOfWasm: get.call(wasm),
}));
