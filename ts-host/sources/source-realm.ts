// The realm a source belongs to, as the sources see it (realms/realm.ts is
// the whole record). A source made for a vm.Context realm is an instance of
// that realm's ModuleSource, or a Module of its WebAssembly; the spec's
// import(source) compares this realm with the importer's (EvaluateImportCall:
// "If module.[[Realm]] is not the current Realm Record", a TypeError).

export interface SourceRealm {
  /** The realm's ModuleSource class: new.target of its JS sources. */
  readonly ModuleSource: Function;
  /** The realm's WebAssembly: its Module compiles the realm's Wasm sources. */
  readonly WebAssembly: typeof WebAssembly;
}
