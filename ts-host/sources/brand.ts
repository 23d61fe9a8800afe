// Brand checks for module sources, kept apart from the classes so the
// AbstractModuleSource getter can use them without an import cycle.

const jsSources = new WeakSet<object>();

/** Marks an object as a canon JS ModuleSource (called once, by its constructor). */
export function brandModuleSource(source: object): void {
  jsSources.add(source);
}

/** Whether `value` is a canon JS ModuleSource. */
export function isModuleSource(value: unknown): boolean {
  return typeof value === 'object' && value !== null && jsSources.has(value);
}

/** Whether `value` is a real WebAssembly.Module (an internal-slot check, not instanceof). */
export function isWasmModule(value: unknown): value is WebAssembly.Module {
  if (typeof value !== 'object' || value === null) return false;
  try {
    WebAssembly.Module.exports(value as WebAssembly.Module);
    return true;
  } catch {
    return false;
  }
}

export type SourceKind = 'ModuleSource' | 'WebAssembly.Module';

/** The source kind of a module source, or undefined for anything else. */
export function sourceKind(value: unknown): SourceKind | undefined {
  if (isModuleSource(value)) return 'ModuleSource';
  if (isWasmModule(value)) return 'WebAssembly.Module';
  return undefined;
}
