// The common case of resolution without URL parsing: a relative specifier of
// plain characters against a file: URL. Returns exactly what
// `new URL(specifier, base).href` would, or undefined when the specifier or
// base is anything less plain (then the caller parses properly). Checked
// against `new URL` by a property test (tests/resolve-fast.test.ts).

// "./" or "../", then path characters URL serialization leaves unchanged.
const PLAIN = /^\.\.?\/[A-Za-z0-9_\-.~/]*$/;

// "./name" with no further "/" or leading ".": the directory of the base plus the name.
const SIBLING = /^\.\/[A-Za-z0-9_\-~][A-Za-z0-9_\-.~]*$/;

export function resolveRelativeFast(specifier: string, base: string): string | undefined {
  if (specifier.charCodeAt(0) !== 46 /* . */) return undefined;
  if (!base.startsWith('file:///') || base.includes('?') || base.includes('#')) return undefined;
  if (SIBLING.test(specifier) && !specifier.endsWith('.') ) {
    // A last segment of "." or ".." is excluded by the pattern's first character;
    // a name ending in "." is still a plain name, but keep the general path for it.
    return base.slice(0, base.lastIndexOf('/') + 1) + specifier.slice(2);
  }
  if (!PLAIN.test(specifier) || specifier.includes('//')) return undefined;
  // The base is a serialized URL, so its path has no "." or ".." segments.
  const path = base.slice(7, base.lastIndexOf('/') + 1).split('/');
  path.pop(); // the empty segment after the final "/"
  const parts = specifier.split('/');
  const last = parts.length - 1;
  let file = '';
  for (let i = 0; i <= last; i++) {
    const part = parts[i]!;
    if (part === '.') {
      continue;
    } else if (part === '..') {
      if (path.length > 1) path.pop();
    } else if (i === last) {
      file = part;
    } else {
      path.push(part);
    }
  }
  return `file://${path.join('/')}/${file}`;
}
