// The fast path for relative specifiers gives exactly what `new URL` gives,
// or declines (property test over specifiers made of the tricky pieces).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { resolveRelativeFast } from '../ts-host/resolve/relative.js';

const piece = fc.constantFrom('.', '..', 'a', 'b.js', '...', '.hidden', 'x-y_z~', '', '%2e', 'é', ' ', '?q', '#h', 'A9');
const specifier = fc.tuple(fc.constantFrom('./', '../', '/', ''), fc.array(piece, { maxLength: 6 })).map(([head, parts]) => head + parts.join('/'));
const base = fc.tuple(fc.array(fc.constantFrom('dir', 'a b', 'x', 'é', 'node_modules', 'v1.2'), { maxLength: 4 }), fc.constantFrom('main.js', '', 'index.mjs'))
  .map(([dirs, file]) => new URL('file:///' + [...dirs, file].join('/')).href);

test('resolveRelativeFast equals new URL(specifier, base).href whenever it answers', () => {
  let answered = 0;
  fc.assert(
    fc.property(specifier, base, (spec, from) => {
      const fast = resolveRelativeFast(spec, from);
      if (fast === undefined) return;
      answered++;
      assert.equal(fast, new URL(spec, from).href, `${spec} from ${from}`);
    }),
    { numRuns: 20_000 },
  );
  assert.ok(answered > 2_000, `the fast path answered only ${answered} times`);
});

test('resolveRelativeFast handles the usual cases and declines the unusual ones', () => {
  const from = 'file:///app/src/main.js';
  assert.equal(resolveRelativeFast('./util.js', from), 'file:///app/src/util.js');
  assert.equal(resolveRelativeFast('../lib/x.mjs', from), 'file:///app/lib/x.mjs');
  assert.equal(resolveRelativeFast('../../../../up.js', from), 'file:///up.js');
  assert.equal(resolveRelativeFast('./a/..', from), 'file:///app/src/');
  for (const spec of ['lib', '/abs.js', './a b.js', './%41.js', './x?y', './a//b.js', 'https://x/y.js']) {
    assert.equal(resolveRelativeFast(spec, from), undefined, spec);
  }
  assert.equal(resolveRelativeFast('./x.js', 'data:text/javascript,1'), undefined);
  assert.equal(resolveRelativeFast('./x.js', 'file:///a.js?v=1'), undefined);
});
