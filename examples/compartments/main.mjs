// node --experimental-vm-modules examples/compartments/main.mjs
//
// One source, three instances: the registry's canonical one, one in a
// compartment whose resolve hook virtualises node:fs, and a non-canonical
// ModuleInstance whose importHook does the same. Sources cross; instances
// never do.
import { ModuleInstance, Registry } from 'canon-modules';

const here = new URL('./', import.meta.url).href;
const fakeFs = new URL('./fake-fs.mjs', import.meta.url).href;
const registry = new Registry({ baseURL: here });

// A compartment: the parent's rules, but node:fs resolves to the fake.
const sandbox = registry.compartment({
  hooks: { resolve: (specifier, referrer, next) => (specifier === 'node:fs' || specifier === 'fs' ? fakeFs : next(specifier, referrer)) },
});
const plugin = await sandbox.import('./plugin.mjs');
console.log('in the compartment, the plugin read:', plugin.config);

// The same source, as a non-canonical instance of the parent registry whose requests a hook answers.
const source = await registry.import('./plugin.mjs', { phase: 'source' });
const fake = await registry.import('./fake-fs.mjs', { phase: 'source' });
const instance = new ModuleInstance(source, { registry, importHook: (specifier) => (specifier === 'node:fs' ? fake : undefined) });
console.log('as a ModuleInstance, it read:', (await instance.import()).config);

console.log('import(source) in the compartment gives its canonical instance:', (await sandbox.import(source)) === plugin);
console.log('the ModuleInstance is another instance:', (await instance.import()) !== plugin);
console.log('entries of the registry:', registry.entries().map((e) => `${e.key.slice(here.length)}${e.canonical ? '' : ' (non-canonical)'}`).join(', '));
