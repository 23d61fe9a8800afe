// Brand checks for module sources, kept apart from the classes so the
// AbstractModuleSource getter can use them without an import cycle: the
// ModuleSource class registers its own check (a private-field `in` test,
// cheaper than keeping every source in a WeakSet) when it loads.

let hasModuleSourceBrand: (value: object) => boolean = () => false;

/** Called once by module-source.ts with its private-field brand check. */
export function registerModuleSourceBrand(check: (value: object) => boolean): void {
  hasModuleSourceBrand = check;
}

/** Whether `value` is a canon JS ModuleSource. */
export function isModuleSource(value: unknown): boolean {
  return typeof value === 'object' && value !== null && hasModuleSourceBrand(value);
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
