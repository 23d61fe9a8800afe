// node --experimental-vm-modules examples/realms/main.mjs
//
// A registry whose modules evaluate in a vm.Context: a realm with its own
// globals and intrinsics. Its sources are that realm's ModuleSources, and
// import(source) of a source from Node's realm is the proposal's TypeError
// (unless the registry is told to copy such sources).
import vm from 'node:vm';
import { ModuleSource, Registry } from 'canon-modules';

const here = new URL('./', import.meta.url).href;
const context = vm.createContext({ answer: 42 });
const own = (expression) => vm.runInContext(expression, context);
const realm = new Registry({ baseURL: here, context });

const widget = await realm.import('./widget.mjs');
console.log("the widget saw the realm's globals: answer =", widget.seen);
console.log("its array is the realm's:", Object.getPrototypeOf(widget.list) === own('Array.prototype'), '/ Node\'s:', widget.list instanceof Array);

const source = await realm.import('./widget.mjs', { phase: 'source' });
console.log("its source is the realm's ModuleSource:", source instanceof own('ModuleSource'), "/ Node's realm's:", source instanceof ModuleSource);

try {
  await realm.import(ModuleSource.fromText('export default 1'));
} catch (error) {
  console.log(`import(source) of a source from Node's realm: ${error.name}`);
}

const copying = new Registry({ baseURL: here, context, crossRealmSources: 'copy' });
console.log("with crossRealmSources: 'copy':", (await copying.import(ModuleSource.fromText("export default 'a copy, imported'"))).default);
