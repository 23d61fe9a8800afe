// Import maps: parsing and module specifier resolution (HTML Standard,
// "import maps"). The tables adapt the cases of the spec's examples and of the
// data-driven import map tests (WICG/import-maps, web-platform-tests
// import-maps/data-driven), with each failure's reason; then canon's own
// cases, error objects, a literal spec walk as a model for random maps, and
// differential checks against Node's URL parser and ESM resolver.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidArgumentError } from '../ts-host/errors.js';
import {
  ImportMapError,
  isImportMap,
  ModuleResolutionError,
  parseImportMap,
  resolveSpecifier,
  resolveSpecifierHref,
  type ImportMap,
  type ModuleSpecifierMap,
  type ResolutionFailure,
} from '../ts-host/resolve/import-map.js';

// ---------------------------------------------------------------------------
// Helpers

const PARSE_BASE = 'https://base.example/path1/path2/path3';
const MAP_BASE = 'https://example.com/app/index.html';
const REFERRER = 'https://example.com/js/app.mjs';

type Expected = Record<string, string | null>;

function descending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

/** The entries a specifier map must hold, in the spec's order (descending code units). */
function sortedEntries(expected: Expected): [string, string | null][] {
  return Object.keys(expected)
    .sort(descending)
    .map((key) => [key, expected[key]!]);
}

function assertSpecifierMap(actual: ModuleSpecifierMap, expected: Expected, what: string): void {
  assert.deepEqual([...actual], sortedEntries(expected), what);
}

function assertImportMap(map: ImportMap, imports: Expected, scopes: Record<string, Expected>, what: string): void {
  assertSpecifierMap(map.imports, imports, `${what}: imports`);
  assert.deepEqual([...map.scopes.keys()], Object.keys(scopes).sort(descending), `${what}: scope prefixes`);
  for (const [prefix, expected] of Object.entries(scopes)) {
    assertSpecifierMap(map.scopes.get(prefix)!, expected, `${what}: scopes[${prefix}]`);
  }
}

/** The outcome of a resolution: the URL's href, or the failure's reason. */
function outcome(specifier: string, referrer: string | URL, map?: ImportMap): string {
  try {
    return resolveSpecifier(specifier, referrer, map).href;
  } catch (error) {
    if (error instanceof ModuleResolutionError) return error.reason;
    throw error;
  }
}

function isFailure(expected: string): expected is ResolutionFailure {
  return !expected.includes(':');
}

// ---------------------------------------------------------------------------
// Parsing: the table

interface ParseCase {
  name: string;
  /** A JSON value: parsed both from its JSON text and as the value itself. */
  input: unknown;
  base?: string;
  imports?: Expected;
  scopes?: Record<string, Expected>;
  /** Each warning in order, matched by a pattern. */
  warnings?: RegExp[];
}

const parseCases: ParseCase[] = [
  // Normalization of the shape
  { name: 'an empty map has empty imports and scopes', input: {}, warnings: [] },
  { name: 'a map without imports', input: { scopes: {} } },
  { name: 'a map without scopes', input: { imports: {} } },
  {
    name: 'unknown top-level keys are ignored with a warning',
    input: { imports: {}, 'new-feature': {}, scops: {} },
    warnings: [/"new-feature"/, /"scops"/],
  },

  // Addresses
  {
    name: 'addresses that are not strings become null entries',
    input: { imports: { null: null, boolean: true, number: 1, object: {}, array: [], array2: ['https://example.com/'], string: 'https://example.com/' } },
    imports: { null: null, boolean: null, number: null, object: null, array: null, array2: null, string: 'https://example.com/' },
    warnings: [/imports\["null"\]: its address null is not a string/, /boolean true/, /number 1/, /an object/, /an array/, /an array/],
  },
  {
    name: 'an empty specifier key is ignored',
    input: { imports: { '': 'https://example.com/' } },
    imports: {},
    warnings: [/imports\[""\]: ignored: a specifier key may not be the empty string/],
  },
  {
    name: 'addresses starting with ./, ../ or / resolve against the base URL',
    input: { imports: { dotSlash: './foo', dotDotSlash: '../foo', slash: '/foo' } },
    imports: { dotSlash: 'https://base.example/path1/path2/foo', dotDotSlash: 'https://base.example/path1/foo', slash: 'https://base.example/foo' },
    warnings: [],
  },
  {
    name: 'relative addresses are null against a data: base URL',
    input: { imports: { dotSlash: './foo', dotDotSlash: '../foo', slash: '/foo' } },
    base: 'data:text/html,test',
    imports: { dotSlash: null, dotDotSlash: null, slash: null },
    warnings: [/that resolves against the base URL data:text\/html,test/, /data:/, /data:/],
  },
  {
    name: 'the addresses ./, ../ and / alone',
    input: { imports: { dotSlash: './', dotDotSlash: '../', slash: '/' } },
    imports: { dotSlash: 'https://base.example/path1/path2/', dotDotSlash: 'https://base.example/path1/', slash: 'https://base.example/' },
  },
  {
    name: 'percent-encoded ./, ../ and / are not relative addresses',
    input: { imports: { dotSlash1: '%2E/', dotDotSlash1: '%2E%2E/', dotSlash2: '.%2F', dotDotSlash2: '..%2F', slash2: '%2F', dotSlash3: '%2E%2F', dotDotSlash3: '%2E%2E%2F' } },
    imports: { dotSlash1: null, dotDotSlash1: null, dotSlash2: null, dotDotSlash2: null, slash2: null, dotSlash3: null, dotDotSlash3: null },
  },
  {
    name: 'absolute addresses of any scheme, fetchable or not',
    input: {
      imports: {
        about: 'about:good', blob: 'blob:good', data: 'data:good', file: 'file:///good', filesystem: 'filesystem:http://example.com/good/',
        http: 'http://good/', https: 'https://good/', ftp: 'ftp://good/', import: 'import:bad', mailto: 'mailto:bad', javascript: 'javascript:bad', wss: 'wss:bad',
      },
    },
    imports: {
      about: 'about:good', blob: 'blob:good', data: 'data:good', file: 'file:///good', filesystem: 'filesystem:http://example.com/good/',
      http: 'http://good/', https: 'https://good/', ftp: 'ftp://good/', import: 'import:bad', mailto: 'mailto:bad', javascript: 'javascript:bad', wss: 'wss://bad/',
    },
    warnings: [],
  },
  {
    name: 'absolute addresses are normalized; unparseable ones are null',
    input: {
      imports: {
        unparseable2: 'https://example.com:demo', unparseable3: 'http://[www.example.com]/', invalidButParseable1: 'https:example.org',
        invalidButParseable2: 'https://///example.com///', prettyNormal: 'https://example.net', percentDecoding: 'https://ex%41mple.com/',
      },
    },
    imports: {
      unparseable2: null, unparseable3: null, invalidButParseable1: 'https://example.org/', invalidButParseable2: 'https://example.com///',
      prettyNormal: 'https://example.net/', percentDecoding: 'https://example.com/',
    },
  },
  {
    name: 'addresses that are neither URLs nor ./, ../ or /-relative are null',
    input: { imports: { foo1: 'bar', foo2: '\\bar', foo3: '~bar', foo4: '#bar', foo5: '?bar' } },
    imports: { foo1: null, foo2: null, foo3: null, foo4: null, foo5: null },
    warnings: [/imports\["foo1"\]: its address "bar" is not a URL/, /\\\\bar/, /~bar/, /#bar/, /\?bar/],
  },
  {
    name: 'a key ending with "/" needs an address ending with "/"',
    input: { imports: { 'trailer/': '/notrailer' } },
    imports: { 'trailer/': null },
    warnings: [/imports\["trailer\/"\]: the key ends with "\/" but its address https:\/\/base.example\/notrailer does not/],
  },

  // Specifier keys
  {
    name: 'keys starting with ./, ../ or / become URLs',
    input: { imports: { './foo': '/dotslash', '../foo': '/dotdotslash', '/foo': '/slash' } },
    imports: {
      'https://base.example/path1/path2/foo': 'https://base.example/dotslash',
      'https://base.example/path1/foo': 'https://base.example/dotdotslash',
      'https://base.example/foo': 'https://base.example/slash',
    },
  },
  {
    name: 'keys starting with ./, ../ or / stay bare against a data: base URL',
    input: { imports: { './foo': 'https://example.com/dotslash', '../foo': 'https://example.com/dotdotslash', '/foo': 'https://example.com/slash' } },
    base: 'data:text/html,',
    imports: { './foo': 'https://example.com/dotslash', '../foo': 'https://example.com/dotdotslash', '/foo': 'https://example.com/slash' },
  },
  {
    name: 'the keys ./, ../ and / alone',
    input: { imports: { './': '/dotslash/', '../': '/dotdotslash/', '/': '/slash/' } },
    imports: {
      'https://base.example/path1/path2/': 'https://base.example/dotslash/',
      'https://base.example/path1/': 'https://base.example/dotdotslash/',
      'https://base.example/': 'https://base.example/slash/',
    },
  },
  {
    name: 'relative keys keep slashes, queries and fragments',
    input: { imports: { './foo/bar?baz#qux': '/foo' } },
    imports: { 'https://base.example/path1/path2/foo/bar?baz#qux': 'https://base.example/foo' },
  },
  {
    name: 'percent-encoded ./, ../ and / keys are bare specifiers, kept as written',
    input: { imports: { '%2E/': '/dotSlash1/', '%2E%2E/': '/dotDotSlash1/', '.%2F': '/dotSlash2', '..%2F': '/dotDotSlash2', '%2F': '/slash2', '%2E%2F': '/dotSlash3', '%2E%2E%2F': '/dotDotSlash3' } },
    imports: {
      '%2E/': 'https://base.example/dotSlash1/', '%2E%2E/': 'https://base.example/dotDotSlash1/', '.%2F': 'https://base.example/dotSlash2',
      '..%2F': 'https://base.example/dotDotSlash2', '%2F': 'https://base.example/slash2', '%2E%2F': 'https://base.example/dotSlash3',
      '%2E%2E%2F': 'https://base.example/dotDotSlash3',
    },
  },
  {
    name: 'keys that normalize to the same URL: the last one wins',
    input: { imports: { './foo/\\': '/foo1', './foo//': '/foo2', './foo\\\\': '/foo3' } },
    imports: { 'https://base.example/path1/path2/foo//': 'https://base.example/foo3' },
    // Only "./foo//" ends with "/" as written, so only its address must (and,
    // failing, it would block); the other two normalize to a "/" key nonetheless.
    warnings: [
      /imports\["\.\/foo\/\\\\"\]: the key normalizes to "https:\/\/base.example\/path1\/path2\/foo\/\/", which ends with "\/", but its address https:\/\/base.example\/foo1 does not/,
      /imports\["\.\/foo\/\/"\]: replaces an earlier key/,
      /imports\["\.\/foo\/\/"\]: the key ends with "\/" but its address https:\/\/base.example\/foo2 does not; the entry blocks/,
      /imports\["\.\/foo\\\\\\\\"\]: replaces an earlier key/,
      /imports\["\.\/foo\\\\\\\\"\]: the key normalizes to/,
    ],
  },
  {
    name: 'absolute URL keys of any scheme',
    input: {
      imports: {
        'about:good': '/about', 'blob:good': '/blob', 'data:good': '/data', 'file:///good': '/file', 'filesystem:http://example.com/good/': '/filesystem/',
        'http://good/': '/http/', 'https://good/': '/https/', 'ftp://good/': '/ftp/', 'import:bad': '/import', 'mailto:bad': '/mailto',
        'javascript:bad': '/javascript', 'wss:bad': '/wss',
      },
    },
    imports: {
      'about:good': 'https://base.example/about', 'blob:good': 'https://base.example/blob', 'data:good': 'https://base.example/data',
      'file:///good': 'https://base.example/file', 'filesystem:http://example.com/good/': 'https://base.example/filesystem/',
      'http://good/': 'https://base.example/http/', 'https://good/': 'https://base.example/https/', 'ftp://good/': 'https://base.example/ftp/',
      'import:bad': 'https://base.example/import', 'mailto:bad': 'https://base.example/mailto', 'javascript:bad': 'https://base.example/javascript',
      'wss://bad/': 'https://base.example/wss',
    },
  },
  {
    name: 'absolute URL keys are normalized; unparseable ones stay bare',
    input: {
      imports: {
        'https://example.com:demo': '/unparseable2', 'http://[www.example.com]/': '/unparseable3/', 'https:example.org': '/invalidButParseable1/',
        'https://///example.com///': '/invalidButParseable2/', 'https://example.net': '/prettyNormal/', 'https://ex%41mple.com/': '/percentDecoding/',
      },
    },
    imports: {
      'https://example.com:demo': 'https://base.example/unparseable2', 'http://[www.example.com]/': 'https://base.example/unparseable3/',
      'https://example.org/': 'https://base.example/invalidButParseable1/', 'https://example.com///': 'https://base.example/invalidButParseable2/',
      'https://example.net/': 'https://base.example/prettyNormal/', 'https://example.com/': 'https://base.example/percentDecoding/',
    },
  },
  {
    name: 'keys sort by code units, not length (a longer key first when it extends a shorter one)',
    input: { imports: { 'https://example.com/a': 'https://example.com/a', 'https://example.com/aaa': 'https://example.com/aaa' } },
    imports: { 'https://example.com/aaa': 'https://example.com/aaa', 'https://example.com/a': 'https://example.com/a' },
  },
  {
    name: 'integer-like keys sort with the others (a Map keeps the order; a plain object would not)',
    input: { imports: { a: '/a', '1': '/one', '10': '/ten', '2/': '/two/', B: '/B', '~': '/tilde', é: '/e' } },
    imports: {
      a: 'https://base.example/a', '1': 'https://base.example/one', '10': 'https://base.example/ten', '2/': 'https://base.example/two/',
      B: 'https://base.example/B', '~': 'https://base.example/tilde', é: 'https://base.example/e',
    },
  },

  // Scopes
  {
    name: 'scope prefixes are URLs relative to the base URL, with or without ./, ../ or /',
    input: { scopes: { foo: {}, './bar': {}, '../baz': {}, '/qux': {} } },
    scopes: {
      'https://base.example/path1/path2/foo': {}, 'https://base.example/path1/path2/bar': {},
      'https://base.example/path1/baz': {}, 'https://base.example/qux': {},
    },
  },
  {
    name: 'relative scope prefixes are dropped against a data: base URL',
    input: { scopes: { './foo': {}, '../foo': {}, '/foo': {}, 'https://ok.example/': {} } },
    base: 'data:text/html,test',
    scopes: { 'https://ok.example/': {} },
    warnings: [/scopes\["\.\/foo"\]: ignored: the scope prefix is not a URL \(against the base URL data:text\/html,test\)/, /"\.\.\/foo"/, /"\/foo"/],
  },
  {
    name: 'the scope prefixes ./, ../, / and the empty string',
    input: { scopes: { './': {}, '../': {}, '/': {}, '': {} } },
    scopes: {
      'https://base.example/path1/path2/': {}, 'https://base.example/path1/': {}, 'https://base.example/': {},
      'https://base.example/path1/path2/path3': {},
    },
  },
  {
    name: 'scope prefixes keep slashes, queries and fragments',
    input: { scopes: { 'foo/bar?baz#qux': {}, 'foo/': {}, './foo2/': {}, '../foo/': {}, '/foo/': {}, '/foo//': {} } },
    scopes: {
      'https://base.example/path1/path2/foo/bar?baz#qux': {}, 'https://base.example/path1/path2/foo/': {}, 'https://base.example/path1/path2/foo2/': {},
      'https://base.example/path1/foo/': {}, 'https://base.example/foo/': {}, 'https://base.example/foo//': {},
    },
  },
  {
    name: 'scope prefixes that normalize to the same URL: the last one wins, whole',
    input: { scopes: { 'foo/\\': { 1: './a' }, 'foo//': { 2: './b' }, 'foo\\\\': { 3: './c' } } },
    scopes: { 'https://base.example/path1/path2/foo//': { 3: 'https://base.example/path1/path2/c' } },
    warnings: [/scopes\["foo\/\/"\]: replaces an earlier scope/, /replaces an earlier scope/],
  },
  {
    name: 'absolute scope prefixes of any scheme',
    input: {
      scopes: {
        'about:good': {}, 'blob:good': {}, 'data:good': {}, 'file:///good': {}, 'filesystem:http://example.com/good/': {}, 'http://good/': {},
        'https://good/': {}, 'ftp://good/': {}, 'import:bad': {}, 'mailto:bad': {}, 'javascript:bad': {}, 'wss:ba': {},
      },
    },
    scopes: {
      'about:good': {}, 'blob:good': {}, 'data:good': {}, 'file:///good': {}, 'filesystem:http://example.com/good/': {}, 'http://good/': {},
      'https://good/': {}, 'ftp://good/': {}, 'import:bad': {}, 'mailto:bad': {}, 'javascript:bad': {}, 'wss://ba/': {},
    },
  },
  {
    name: 'scope prefixes are parsed against the base (https:example.org is relative there); unparseable ones are dropped',
    input: {
      scopes: {
        'https://example.com:demo': {}, 'http://[www.example.com]/': {}, 'https:example.org': {}, 'https://///example.com///': {},
        'https://example.net': {}, 'https://ex%41mple.com/foo/': {},
      },
    },
    scopes: {
      'https://base.example/path1/path2/example.org': {}, 'https://example.com///': {}, 'https://example.net/': {}, 'https://example.com/foo/': {},
    },
    warnings: [/scopes\["https:\/\/example.com:demo"\]: ignored/, /scopes\["http:\/\/\[www.example.com\]\/"\]: ignored/],
  },
  {
    name: 'a scope\'s specifier map is normalized against the map\'s base URL, like imports',
    input: { scopes: { '/js/': { 'lodash/': './lodash/', bad: 7, 'trailer/': '/x' } } },
    scopes: { 'https://base.example/js/': { 'lodash/': 'https://base.example/path1/path2/lodash/', bad: null, 'trailer/': null } },
    warnings: [/scopes\["\/js\/"\]\["bad"\]: its address number 7 is not a string/, /scopes\["\/js\/"\]\["trailer\/"\]: the key ends with "\/"/],
  },
];

describe('parseImportMap: cases from the spec and the WICG/WPT tests', () => {
  for (const c of parseCases) {
    test(c.name, () => {
      const base = c.base ?? PARSE_BASE;
      const fromText = parseImportMap(JSON.stringify(c.input), base);
      const fromValue = parseImportMap(c.input as object, new URL(base));
      for (const [how, map] of [['text', fromText], ['value', fromValue]] as const) {
        assertImportMap(map, c.imports ?? {}, c.scopes ?? {}, `${c.name} (${how})`);
        assert.equal(map.integrity.size, 0);
        if (c.warnings !== undefined) {
          assert.equal(map.warnings.length, c.warnings.length, `warnings: ${JSON.stringify(map.warnings)}`);
          c.warnings.forEach((pattern, i) => assert.match(map.warnings[i]!, pattern));
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------
// Parsing: errors

interface ParseErrorCase {
  name: string;
  input: unknown;
  path: string[];
  message: RegExp;
}

const NON_OBJECTS: [string, unknown, RegExp][] = [
  ['null', null, /got null/],
  ['a boolean', true, /got boolean true/],
  ['a number', 1, /got number 1/],
  ['a string', 'foo', /got the string "foo"/],
  ['an array', [], /got an array/],
];

const parseErrorCases: ParseErrorCase[] = [
  ...NON_OBJECTS.map(([what, value, got]): ParseErrorCase => ({
    name: `the top level is ${what}`,
    input: value,
    path: [],
    message: new RegExp(`^Invalid import map: the top-level value must be a JSON object, ${got.source}`),
  })),
  ...(['imports', 'scopes', 'integrity'] as const).flatMap((key) =>
    NON_OBJECTS.map(([what, value, got]): ParseErrorCase => ({
      name: `"${key}" is ${what}`,
      input: { [key]: value },
      path: [key],
      message: new RegExp(`the value of "${key}" must be a JSON object, ${got.source}`),
    })),
  ),
  ...NON_OBJECTS.map(([what, value, got]): ParseErrorCase => ({
    name: `a scope's value is ${what}`,
    input: { imports: {}, scopes: { 'https://example.com/': value } },
    path: ['scopes', 'https://example.com/'],
    message: new RegExp(`the value of scopes\\["https://example.com/"\\] must be a JSON object \\(a specifier map\\), ${got.source}`),
  })),
  {
    name: 'a scope\'s value is not an object, even under a prefix that does not parse',
    input: { scopes: { 'http://[bad]/': 1 } },
    path: ['scopes', 'http://[bad]/'],
    message: /scopes\["http:\/\/\[bad\]\/"\] must be a JSON object/,
  },
];

describe('parseImportMap: fatal errors', () => {
  for (const c of parseErrorCases) {
    test(c.name, () => {
      // A string is always JSON text: a string value is tested as text only.
      for (const input of typeof c.input === 'string' ? [JSON.stringify(c.input)] : [JSON.stringify(c.input), c.input]) {
        assert.throws(
          () => parseImportMap(input as string | object, PARSE_BASE),
          (error: unknown) => {
            assert.ok(error instanceof ImportMapError);
            assert.ok(error instanceof TypeError);
            assert.equal(error.name, 'TypeError');
            assert.equal(error.code, 'ERR_CANON_INVALID_IMPORT_MAP');
            assert.deepEqual(error.path, c.path);
            assert.match(error.message, c.message);
            return true;
          },
        );
      }
    });
  }

  test('text that is not JSON: file:line:column, the reason, and the offending line with a caret', () => {
    // [text, line, column, reason]: where V8 states the position (most messages) and where it does not
    // ("Unexpected token", "Unexpected end"), in which case jsonc-parser locates it.
    const cases: [string, number, number, RegExp][] = [
      ['{imports: {}}', 1, 2, /^Expected property name or '}'$/],
      ['', 1, 1, /^Unexpected end of JSON input$/],
      ['{"imports": {}', 1, 15, /^Expected ',' or '}' after property value$/],
      ['{"imports": {},}', 1, 16, /^Expected double-quoted property name$/],
      ['{\n  "imports": {\n    "a": "./a.js",\n  }\n}', 4, 3, /^Expected double-quoted property name$/],
      ['{"imports": x}', 1, 13, /^Unexpected token 'x'$/],
      ['{\r\n  "imports": [1,]\r\n}', 2, 17, /^Unexpected token ']'$/],
      ['{"a": tru}', 1, 7, /^Unexpected token '}'$/],
      ['\n\n{"imports": {}} x\n', 3, 17, /^Unexpected non-whitespace character after JSON$/],
    ];
    for (const [text, line, column, reason] of cases) {
      assert.throws(
        () => parseImportMap(text, 'file:///app/importmap.json'),
        (error: unknown) => {
          assert.ok(error instanceof ImportMapError);
          assert.ok(error.cause instanceof SyntaxError);
          assert.deepEqual([error.path, error.url, error.line, error.column], [[], 'file:///app/importmap.json', line, column], JSON.stringify(text));
          const [head, ...frame] = error.message.split('\n');
          const [, file, at, why] = /^Invalid import map: (.*?):(\d+:\d+): the text is not valid JSON: (.*)$/.exec(head!) ?? [];
          assert.deepEqual([file, at], ['/app/importmap.json', `${line}:${column}`], head);
          assert.match(why!, reason, JSON.stringify(text));
          // The frame: "> N | <the line>", then a caret under the column.
          const marked = frame.findIndex((l) => l.startsWith('>'));
          assert.match(frame[marked]!, new RegExp(`^> ${line} \\|`), error.message);
          assert.equal(frame[marked]!.slice(frame[marked]!.indexOf('|') + 2), text.split(/\r\n|\n/)[line - 1]);
          assert.equal(frame[marked + 1]!.indexOf('^') - frame[marked + 1]!.indexOf('|') - 2, column - 1, error.message);
          return true;
        },
      );
    }
  });

  test('text that is not JSON under a directory base URL (no file known): "<import map>:line:column"', () => {
    assert.throws(() => parseImportMap('{\n  "imports": x\n}', 'file:///app/'), (error: unknown) => {
      assert.ok(error instanceof ImportMapError);
      assert.match(error.message, /^Invalid import map: <import map>:2:14: the text is not valid JSON: Unexpected token 'x'\n/);
      assert.deepEqual([error.url, error.line, error.column], ['file:///app/', 2, 14]);
      return true;
    });
  });

  test('text that is not JSON, a property: the location is in the text and agrees with the engine where it states one', () => {
    // Valid JSON with one character inserted, replaced or removed; only texts JSON.parse rejects count.
    const broken = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('insert', 'replace', 'remove'), fc.constantFrom(...'{}[],:"x\\\n 0-.e\u0001')).map(([json, at, how, ch]) => {
      const i = at % (json.length + 1);
      return how === 'insert' ? json.slice(0, i) + ch + json.slice(i) : how === 'replace' ? json.slice(0, i) + ch + json.slice(i + 1) : json.slice(0, i) + json.slice(i + 1);
    }).filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    });
    let stated = 0;
    fc.assert(
      fc.property(broken, (text) => {
        let engine = '';
        try {
          JSON.parse(text);
        } catch (error) {
          engine = (error as Error).message;
        }
        try {
          parseImportMap(text, 'https://example.com/map.json');
        } catch (error) {
          assert.ok(error instanceof ImportMapError);
          const lines = text.split(/\r\n|[\n\r\u2028\u2029]/);
          assert.ok(error.line! >= 1 && error.line! <= lines.length, `line ${error.line} of ${lines.length}`);
          assert.ok(error.column! >= 1 && error.column! <= lines[error.line! - 1]!.length + 1, `column ${error.column}`);
          assert.ok(error.message.startsWith(`Invalid import map: https://example.com/map.json:${error.line}:${error.column}: the text is not valid JSON: `));
          assert.ok(error.message.split('\n').some((l) => l.startsWith(`> ${error.line} |`)), error.message);
          // Node 22+ add "(line L column C)" to V8's message: the same place.
          const v8 = /\(line (\d+) column (\d+)\)$/.exec(engine);
          if (v8) {
            stated++;
            assert.deepEqual([error.line, error.column], [Number(v8[1]), Number(v8[2])], engine);
          }
          return;
        }
        assert.fail('parseImportMap accepted text JSON.parse rejects');
      }),
      { numRuns: 500 },
    );
    if (Number(process.versions.node.split('.')[0]) >= 22) assert.ok(stated > 100, `the engine stated a position for ${stated} texts`);
  });

  test('a throwing getter or Proxy trap in an import map object: an ImportMapError naming the key, the thrown value as cause', () => {
    const boom = new Error('boom');
    const throwing = (): never => {
      throw boom;
    };
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const cases: [object, string[], RegExp][] = [
      [{ get imports() { return throwing(); } }, ['imports'], /^Invalid import map: reading imports threw Error: boom$/],
      [{ imports: { get lodash() { return throwing(); } } }, ['imports', 'lodash'], /^Invalid import map: reading imports\["lodash"\] threw Error: boom$/],
      [{ scopes: { '/js/': { get 'a/'() { return throwing(); } } } }, ['scopes', '/js/', 'a/'], /reading scopes\["\/js\/"\]\["a\/"\] threw Error: boom/],
      [{ scopes: { get '/js/'() { return throwing(); } } }, ['scopes', '/js/'], /reading scopes\["\/js\/"\] threw Error: boom/],
      [{ integrity: { get './a.js'() { return throwing(); } } }, ['integrity', './a.js'], /reading integrity\["\.\/a\.js"\] threw Error: boom/],
      [{ imports: new Proxy({}, { ownKeys: throwing }) }, ['imports'], /listing the keys of imports threw Error: boom/],
      [new Proxy({}, { getPrototypeOf: throwing }), [], /inspecting the top-level value threw Error: boom/],
      [{ scopes: revocable.proxy }, ['scopes'], /inspecting scopes threw TypeError: .*revoked/],
    ];
    for (const [input, path, message] of cases) {
      assert.throws(
        () => parseImportMap(input, PARSE_BASE),
        (error: unknown) => {
          assert.ok(error instanceof ImportMapError, String(error));
          assert.equal(error.code, 'ERR_CANON_INVALID_IMPORT_MAP');
          assert.deepEqual(error.path, path);
          assert.match(error.message, message);
          if (!message.source.includes('revoked')) assert.equal(error.cause, boom);
          return true;
        },
      );
    }
    // A thrown value that is not an Error, and one whose own properties throw when read.
    assert.throws(() => parseImportMap({ get imports() { throw 42; } }, PARSE_BASE), /reading imports threw number 42$/);
    const hostile = new Proxy(new Error('x'), { get: throwing, getPrototypeOf: throwing });
    assert.throws(() => parseImportMap({ get imports() { throw hostile; } }, PARSE_BASE), /reading imports threw a value$/);
  });

  test('a JSON string at the top level is a non-object, not more JSON', () => {
    assert.throws(() => parseImportMap('"{}"', PARSE_BASE), /top-level value must be a JSON object, got the string "\{\}"/);
  });

  test('already-parsed values: objects of other classes are not JSON objects; undefined members are absent', () => {
    assert.throws(() => parseImportMap({ imports: new Map([['a', '/a']]) }, PARSE_BASE), /"imports" must be a JSON object, got an object of class Map/);
    assert.throws(() => parseImportMap(new Date(0), PARSE_BASE), /top-level value must be a JSON object, got an object of class Date/);
    const map = parseImportMap({ imports: undefined, scopes: undefined, integrity: undefined }, PARSE_BASE);
    assert.equal(map.imports.size, 0);
    assert.deepEqual(map.warnings, []);
    // A null-prototype object is a JSON object.
    const bare = Object.assign(Object.create(null) as object, { imports: Object.assign(Object.create(null) as object, { a: '/a' }) });
    assert.equal(parseImportMap(bare, PARSE_BASE).imports.get('a'), 'https://base.example/a');
  });

  test('the base URL must be an absolute URL', () => {
    for (const base of ['/relative', 'not a url', '']) {
      assert.throws(() => parseImportMap({}, base), (error: unknown) => {
        assert.ok(error instanceof InvalidArgumentError);
        assert.match((error as Error).message, /^parseImportMap: baseURL must be an absolute URL, got/);
        return true;
      });
    }
    assert.throws(() => parseImportMap({}, 42 as unknown as string), InvalidArgumentError);
  });
});

describe('parseImportMap: integrity, warnings, shape', () => {
  test('integrity: keys resolve as URL-like specifiers, values must be strings; order is kept', () => {
    const map = parseImportMap(
      {
        integrity: {
          './b.js': 'sha384-bbb',
          '/a.js': 'sha384-aaa',
          'https://cdn.example/x.js': 'sha256-xxx',
          bare: 'sha384-bare',
          './n.js': 5,
          '../c.js?v=1': 'sha512-ccc',
        },
      },
      PARSE_BASE,
    );
    assert.deepEqual(
      [...map.integrity],
      [
        ['https://base.example/path1/path2/b.js', 'sha384-bbb'],
        ['https://base.example/a.js', 'sha384-aaa'],
        ['https://cdn.example/x.js', 'sha256-xxx'],
        ['https://base.example/path1/c.js?v=1', 'sha512-ccc'],
      ],
    );
    assert.equal(map.warnings.length, 2);
    assert.match(map.warnings[0]!, /integrity\["bare"\]: ignored: the key is not a URL/);
    assert.match(map.warnings[1]!, /integrity\["\.\/n\.js"\]: ignored: integrity metadata must be a string, got number 5/);
    // Integrity is not enforced: resolution ignores it.
    assert.equal(resolveSpecifier('./b.js', PARSE_BASE, map).href, 'https://base.example/path1/path2/b.js');
  });

  test('a key whose normalized form gains a trailing "/" (the spec checks the key as written) warns', () => {
    const map = parseImportMap({ imports: { 'https://a.example': '/x', 'https://b.example': '/y/' } }, MAP_BASE);
    assert.deepEqual([...map.imports], [
      ['https://b.example/', 'https://example.com/y/'],
      ['https://a.example/', 'https://example.com/x'],
    ]);
    assert.equal(map.warnings.length, 1);
    assert.match(map.warnings[0]!, /imports\["https:\/\/a.example"\]: the key normalizes to "https:\/\/a.example\/", which ends with "\/", but its address https:\/\/example.com\/x does not/);
  });

  test('"__proto__" is an ordinary key in JSON text', () => {
    const map = parseImportMap('{"imports": {"__proto__": "/proto.js", "constructor": "/c.js"}, "scopes": {"__proto__": {"x": "/x.js"}}}', MAP_BASE);
    assert.equal(map.imports.get('__proto__'), 'https://example.com/proto.js');
    assert.equal(resolveSpecifier('__proto__', REFERRER, map).href, 'https://example.com/proto.js');
    assert.equal(resolveSpecifier('constructor', REFERRER, map).href, 'https://example.com/c.js');
    assert.ok(map.scopes.has('https://example.com/app/__proto__'));
    assert.equal(outcome('toString', REFERRER, map), 'unmapped');
  });

  test('duplicate keys in JSON text: the last one wins (as JSON.parse has it)', () => {
    const map = parseImportMap('{"imports": {"a": "/1", "a": "/2"}}', MAP_BASE);
    assert.deepEqual([...map.imports], [['a', 'https://example.com/2']]);
  });

  test('isImportMap tells parsed maps from look-alikes', () => {
    assert.equal(isImportMap(parseImportMap({}, MAP_BASE)), true);
    assert.equal(isImportMap({ imports: new Map(), scopes: new Map(), integrity: new Map(), warnings: [] }), false);
    assert.equal(isImportMap({ ...parseImportMap({}, MAP_BASE) }), false);
    assert.equal(isImportMap(null), false);
    assert.equal(isImportMap('{}'), false);
  });

  test('the parsed map is frozen; changing its maps does not change resolution', () => {
    const map = parseImportMap({ imports: { a: '/a.js', 'p/': '/p/' } }, MAP_BASE);
    assert.ok(Object.isFrozen(map));
    (map.imports as Map<string, string | null>).set('a', 'https://evil.example/');
    (map.imports as Map<string, string | null>).set('b', 'https://evil.example/');
    assert.equal(resolveSpecifier('a', REFERRER, map).href, 'https://example.com/a.js');
    assert.equal(outcome('b', REFERRER, map), 'unmapped');
  });
});

// ---------------------------------------------------------------------------
// Resolution: the table

interface ResolutionGroup {
  name: string;
  map: object;
  mapBase?: string;
  referrer?: string;
  /** specifier → href, or the reason it fails */
  cases: Record<string, string>;
}

const PACKAGES = {
  imports: {
    moment: '/node_modules/moment/src/moment.js',
    'moment/': '/node_modules/moment/src/',
    'lodash-dot': './node_modules/lodash-es/lodash.js',
    'lodash-dot/': './node_modules/lodash-es/',
    'lodash-dotdot': '../node_modules/lodash-es/lodash.js',
    'lodash-dotdot/': '../node_modules/lodash-es/',
    'mapped/': 'https://example.com/',
    'mapped/path/': 'https://github.com/WICG/import-maps/issues/207/',
    'mapped/non-ascii-1/': 'https://example.com/%E3%81%8D%E3%81%A4%E3%81%AD/',
    'mapped/non-ascii-2/': 'https://example.com/きつね/',
  },
};

const SCOPES_FALLBACK = {
  imports: { a: '/a-1.mjs', b: '/b-1.mjs', c: '/c-1.mjs', d: '/d-1.mjs' },
  scopes: {
    '/scope2/': { a: '/a-2.mjs', d: '/d-2.mjs' },
    '/scope2/scope3/': { b: '/b-3.mjs', d: '/d-3.mjs' },
  },
};

const SCOPES_RELATIVE = {
  imports: { a: '/a-1.mjs', b: '/b-1.mjs', c: '/c-1.mjs' },
  scopes: { '': { a: '/a-empty-string.mjs' }, './': { b: '/b-dot-slash.mjs' }, '../': { c: '/c-dot-dot-slash.mjs' } },
};

const SCOPES_PACKAGES = {
  imports: {
    moment: '/node_modules/moment/src/moment.js',
    'moment/': '/node_modules/moment/src/',
    'lodash-dot': './node_modules/lodash-es/lodash.js',
    'lodash-dot/': './node_modules/lodash-es/',
    'lodash-dotdot': '../node_modules/lodash-es/lodash.js',
    'lodash-dotdot/': '../node_modules/lodash-es/',
  },
  scopes: {
    '/': { moment: '/node_modules_3/moment/src/moment.js', vue: '/node_modules_3/vue/dist/vue.runtime.esm.js' },
    '/js/': {
      'lodash-dot': './node_modules_2/lodash-es/lodash.js',
      'lodash-dot/': './node_modules_2/lodash-es/',
      'lodash-dotdot': '../node_modules_2/lodash-es/lodash.js',
      'lodash-dotdot/': '../node_modules_2/lodash-es/',
    },
  },
};

const EXACT_SCOPE = { moment: '/only-triggered-by-exact/moment', 'moment/': '/only-triggered-by-exact/moment/' };
const PREFIX_SCOPE = { moment: '/triggered-by-any-subpath/moment', 'moment/': '/triggered-by-any-subpath/moment/' };
const EXACT = { moment: 'https://example.com/only-triggered-by-exact/moment', 'moment/foo': 'https://example.com/only-triggered-by-exact/moment/foo' };
const PREFIX = { moment: 'https://example.com/triggered-by-any-subpath/moment', 'moment/foo': 'https://example.com/triggered-by-any-subpath/moment/foo' };
const NEITHER = { moment: 'unmapped', 'moment/foo': 'unmapped' };

const resolutionGroups: ResolutionGroup[] = [
  {
    name: 'empty map: relative specifiers resolve against the referrer',
    map: {},
    cases: {
      './foo': 'https://example.com/js/foo',
      './foo/bar': 'https://example.com/js/foo/bar',
      './foo/../bar': 'https://example.com/js/bar',
      './foo/../../bar': 'https://example.com/bar',
      '../foo': 'https://example.com/foo',
      '../foo/bar': 'https://example.com/foo/bar',
      '../../../foo/bar': 'https://example.com/foo/bar',
      '/foo': 'https://example.com/foo',
      '/foo/bar': 'https://example.com/foo/bar',
      '/../../foo/bar': 'https://example.com/foo/bar',
      '/../foo/../bar': 'https://example.com/bar',
      '//other.example/x.js': 'https://other.example/x.js',
    },
  },
  {
    name: 'empty map: absolute URLs are normalized',
    map: {},
    cases: {
      'https://fetch-scheme.net': 'https://fetch-scheme.net/',
      'https:fetch-scheme.org': 'https://fetch-scheme.org/',
      'https://fetch%2Dscheme.com/': 'https://fetch-scheme.com/',
      'https://///fetch-scheme.com///': 'https://fetch-scheme.com///',
      'about:fetch-scheme': 'about:fetch-scheme',
      'mailto:non-fetch-scheme': 'mailto:non-fetch-scheme',
      'import:non-fetch-scheme': 'import:non-fetch-scheme',
      'javascript:non-fetch-scheme': 'javascript:non-fetch-scheme',
      'wss:non-fetch-scheme': 'wss://non-fetch-scheme/',
      'data:text/javascript,export default 1': 'data:text/javascript,export default 1',
      'node:fs': 'node:fs',
      ' https://spaces.example/x ': 'https://spaces.example/x',
      'ht\ttps://tab.example/x': 'https://tab.example/x',
    },
  },
  {
    name: 'empty map: valid relative URLs that are not URL-like specifiers fail, as do bad absolute URLs',
    map: {},
    cases: {
      'invalid-specifier': 'unmapped',
      '\\invalid-specifier': 'unmapped',
      ':invalid-specifier': 'unmapped',
      '@invalid-specifier': 'unmapped',
      '%2E/invalid-specifier': 'unmapped',
      '%2E%2E/invalid-specifier': 'unmapped',
      '.%2Finvalid-specifier': 'unmapped',
      '.': 'unmapped',
      '..': 'unmapped',
      '.../x': 'unmapped',
      '': 'unmapped',
      ' ./foo': 'unmapped',
      'https://invalid-url.com:demo': 'unmapped',
      'http://[invalid-url.com]/': 'unmapped',
    },
  },
  {
    name: 'the most specific key wins',
    map: { imports: { a: '/1', 'a/': '/2/', 'a/b': '/3', 'a/b/': '/4/' } },
    cases: {
      a: 'https://example.com/1',
      'a/': 'https://example.com/2/',
      'a/x': 'https://example.com/2/x',
      'a/b': 'https://example.com/3',
      'a/b/': 'https://example.com/4/',
      'a/b/c': 'https://example.com/4/c',
      'a/bc': 'https://example.com/2/bc',
      'a/b/c/d/e': 'https://example.com/4/c/d/e',
    },
  },
  {
    name: 'packages via trailing slashes',
    map: PACKAGES,
    cases: {
      moment: 'https://example.com/node_modules/moment/src/moment.js',
      'lodash-dot': 'https://example.com/app/node_modules/lodash-es/lodash.js',
      'lodash-dotdot': 'https://example.com/node_modules/lodash-es/lodash.js',
      'moment/foo': 'https://example.com/node_modules/moment/src/foo',
      'moment/foo?query': 'https://example.com/node_modules/moment/src/foo?query',
      'moment/foo#fragment': 'https://example.com/node_modules/moment/src/foo#fragment',
      'moment/foo?query#fragment': 'https://example.com/node_modules/moment/src/foo?query#fragment',
      'lodash-dot/foo': 'https://example.com/app/node_modules/lodash-es/foo',
      'lodash-dotdot/foo': 'https://example.com/node_modules/lodash-es/foo',
      'moment/': 'https://example.com/node_modules/moment/src/',
      'underscore/': 'unmapped',
      'underscore/foo': 'unmapped',
      Moment: 'unmapped',
    },
  },
  {
    name: 'packages: backtracking above a prefix fails, staying within it does not',
    map: PACKAGES,
    cases: {
      'mapped/path': 'https://example.com/path',
      'mapped/path/': 'https://github.com/WICG/import-maps/issues/207/',
      'mapped/path/..': 'backtracking',
      'mapped/path/../path/': 'backtracking',
      'mapped/path/../207': 'backtracking',
      'mapped/path/../207/': 'https://github.com/WICG/import-maps/issues/207/',
      'mapped/path//': 'backtracking',
      'mapped/path/WICG/import-maps/issues/207/': 'https://github.com/WICG/import-maps/issues/207/WICG/import-maps/issues/207/',
      'mapped/path//WICG/import-maps/issues/207/': 'https://github.com/WICG/import-maps/issues/207/',
      'mapped/path/../backtrack': 'backtracking',
      'mapped/path/../../backtrack': 'backtracking',
      'mapped/path/../../../backtrack': 'backtracking',
      'moment/../backtrack': 'backtracking',
      'moment/..': 'backtracking',
      'moment/%2e%2e/backtrack': 'backtracking',
      'moment/.%2E': 'backtracking',
      'moment/./foo/../bar': 'https://example.com/node_modules/moment/src/bar',
      'moment/https://evil.example/x.js': 'backtracking',
      'moment///evil.example/x.js': 'backtracking',
      'mapped/non-ascii-1/': 'https://example.com/%E3%81%8D%E3%81%A4%E3%81%AD/',
      'mapped/non-ascii-1/../%E3%81%8D%E3%81%A4%E3%81%AD/': 'https://example.com/%E3%81%8D%E3%81%A4%E3%81%AD/',
      'mapped/non-ascii-1/../きつね/': 'https://example.com/%E3%81%8D%E3%81%A4%E3%81%AD/',
      'mapped/non-ascii-2/': 'https://example.com/%E3%81%8D%E3%81%A4%E3%81%AD/',
      'mapped/non-ascii-2/../%E3%81%8D%E3%81%A4%E3%81%AD/': 'https://example.com/%E3%81%8D%E3%81%A4%E3%81%AD/',
      'mapped/non-ascii-2/../きつね/': 'https://example.com/%E3%81%8D%E3%81%A4%E3%81%AD/',
    },
  },
  {
    name: 'tricky specifiers and percent-encoding in keys',
    map: {
      imports: {
        'package/withslash': '/node_modules/package-with-slash/index.mjs',
        'not-a-package': '/lib/not-a-package.mjs',
        'only-slash/': '/lib/only-slash/',
        '.': '/lib/dot.mjs',
        '..': '/lib/dotdot.mjs',
        '..\\': '/lib/dotdotbackslash.mjs',
        '%2E': '/lib/percent2e.mjs',
        '%2F': '/lib/percent2f.mjs',
        'https://map.example/%E3%81%8D%E3%81%A4%E3%81%AD/': '/a/',
        'https://map.example/きつね/fox/': '/b/',
        '%E3%81%8D%E3%81%A4%E3%81%AD/': '/c/',
        'きつね/fox/': '/d/',
      },
    },
    cases: {
      'package/withslash': 'https://example.com/node_modules/package-with-slash/index.mjs',
      '.': 'https://example.com/lib/dot.mjs',
      '..': 'https://example.com/lib/dotdot.mjs',
      '..\\': 'https://example.com/lib/dotdotbackslash.mjs',
      '%2E': 'https://example.com/lib/percent2e.mjs',
      '%2e': 'unmapped',
      '%2F': 'https://example.com/lib/percent2f.mjs',
      'not-a-package/foo': 'unmapped',
      'only-slash': 'unmapped',
      // URL-like specifiers and keys are both normalized: encoded and raw forms meet.
      'https://map.example/%E3%81%8D%E3%81%A4%E3%81%AD/': 'https://example.com/a/',
      'https://map.example/%E3%81%8D%E3%81%A4%E3%81%AD/bar': 'https://example.com/a/bar',
      'https://map.example/%E3%81%8D%E3%81%A4%E3%81%AD/fox/': 'https://example.com/b/',
      'https://map.example/%E3%81%8D%E3%81%A4%E3%81%AD/fox/bar': 'https://example.com/b/bar',
      'https://map.example/きつね/': 'https://example.com/a/',
      'https://map.example/きつね/bar': 'https://example.com/a/bar',
      'https://map.example/きつね/fox/': 'https://example.com/b/',
      'https://map.example/きつね/fox/bar': 'https://example.com/b/bar',
      // Bare specifiers and keys are compared as written.
      '%E3%81%8D%E3%81%A4%E3%81%AD/': 'https://example.com/c/',
      '%E3%81%8D%E3%81%A4%E3%81%AD/bar': 'https://example.com/c/bar',
      '%E3%81%8D%E3%81%A4%E3%81%AD/fox/': 'https://example.com/c/fox/',
      '%E3%81%8D%E3%81%A4%E3%81%AD/fox/bar': 'https://example.com/c/fox/bar',
      'きつね/': 'unmapped',
      'きつね/bar': 'unmapped',
      'きつね/fox/': 'https://example.com/d/',
      'きつね/fox/bar': 'https://example.com/d/bar',
      // Percent-encoded bytes in the remainder reach the URL as they are.
      'きつね/fox/a%20b.js': 'https://example.com/d/a%20b.js',
      'きつね/fox/a b.js': 'https://example.com/d/a%20b.js',
    },
  },
  {
    name: 'URL-like specifiers: prefix matches only for special schemes',
    map: {
      imports: {
        'data:text/': '/lib/test-data/',
        'about:text/': '/lib/test-about/',
        'blob:text/': '/lib/test-blob/',
        'blah:text/': '/lib/test-blah/',
        'http:text/': '/lib/test-http/',
        'https:text/': '/lib/test-https/',
        'file:text/': '/lib/test-file/',
        'ftp:text/': '/lib/test-ftp/',
        'ws:text/': '/lib/test-ws/',
        'wss:text/': '/lib/test-wss/',
        'node:fs': '/shims/fs.js',
        'node:': '/shims/',
      },
    },
    cases: {
      "data:text/javascript,console.log('foo')": "data:text/javascript,console.log('foo')",
      'data:text/': 'https://example.com/lib/test-data/',
      'about:text/foo': 'about:text/foo',
      'about:text/': 'https://example.com/lib/test-about/',
      'blob:text/foo': 'blob:text/foo',
      'blob:text/': 'https://example.com/lib/test-blob/',
      'blah:text/foo': 'blah:text/foo',
      'blah:text/': 'https://example.com/lib/test-blah/',
      'http:text/foo': 'https://example.com/lib/test-http/foo',
      'http:text/': 'https://example.com/lib/test-http/',
      'https:text/foo': 'https://example.com/lib/test-https/foo',
      'https:text/': 'https://example.com/lib/test-https/',
      'ftp:text/foo': 'https://example.com/lib/test-ftp/foo',
      'ftp:text/': 'https://example.com/lib/test-ftp/',
      'file:text/foo': 'https://example.com/lib/test-file/foo',
      'file:text/': 'https://example.com/lib/test-file/',
      'ws:text/foo': 'https://example.com/lib/test-ws/foo',
      'ws:text/': 'https://example.com/lib/test-ws/',
      'wss:text/foo': 'https://example.com/lib/test-wss/foo',
      'wss:text/': 'https://example.com/lib/test-wss/',
      'node:fs': 'https://example.com/shims/fs.js',
      'node:path': 'node:path',
    },
  },
  {
    name: 'URL-like specifiers are remapped by URL keys',
    map: {
      imports: {
        '/lib/foo.mjs': './more/bar.mjs',
        './dotrelative/foo.mjs': '/lib/dot.mjs',
        '../dotdotrelative/foo.mjs': '/lib/dotdot.mjs',
        '/': '/lib/slash-only/',
        './': '/lib/dotslash-only/',
        '/test/': '/lib/url-trailing-slash/',
        './test/': '/lib/url-trailing-slash-dot/',
        '/test': '/lib/test1.mjs',
        '../test': '/lib/test2.mjs',
      },
    },
    cases: {
      'https://example.com/lib/foo.mjs': 'https://example.com/app/more/bar.mjs',
      'https://///example.com/lib/foo.mjs': 'https://example.com/app/more/bar.mjs',
      '/lib/foo.mjs': 'https://example.com/app/more/bar.mjs',
      '/lib/./foo.mjs': 'https://example.com/app/more/bar.mjs',
      'https://example.com/app/dotrelative/foo.mjs': 'https://example.com/lib/dot.mjs',
      '../app/dotrelative/foo.mjs': 'https://example.com/lib/dot.mjs',
      'https://example.com/dotdotrelative/foo.mjs': 'https://example.com/lib/dotdot.mjs',
      '../dotdotrelative/foo.mjs': 'https://example.com/lib/dotdot.mjs',
      'https://example.com/': 'https://example.com/lib/slash-only/',
      '/': 'https://example.com/lib/slash-only/',
      '../': 'https://example.com/lib/slash-only/',
      'https://example.com/app/': 'https://example.com/lib/dotslash-only/',
      '/app/': 'https://example.com/lib/dotslash-only/',
      '../app/': 'https://example.com/lib/dotslash-only/',
      '/test/foo.mjs': 'https://example.com/lib/url-trailing-slash/foo.mjs',
      'https://example.com/app/test/foo.mjs': 'https://example.com/lib/url-trailing-slash-dot/foo.mjs',
      // "/test" and "../test" both normalize to https://example.com/test: the last one wins.
      '/test': 'https://example.com/lib/test2.mjs',
      // The specifier is normalized before matching, so ".." never climbs out of a prefix.
      '/test/..': 'https://example.com/lib/slash-only/',
      '/test/../backtrack': 'https://example.com/lib/slash-only/backtrack',
      '/test/../../backtrack': 'https://example.com/lib/slash-only/backtrack',
      '/test/../../../backtrack': 'https://example.com/lib/slash-only/backtrack',
      'https://example.com/test/..': 'https://example.com/lib/slash-only/',
      'https://example.com/test/../backtrack': 'https://example.com/lib/slash-only/backtrack',
      'https://example.com/test/../../backtrack': 'https://example.com/lib/slash-only/backtrack',
      'https://example.com/test/../../../backtrack': 'https://example.com/lib/slash-only/backtrack',
      // Another origin is not under "/".
      'https://other.example/test/x': 'https://other.example/test/x',
      './x.js': 'https://example.com/lib/slash-only/js/x.js',
    },
  },
  {
    name: 'a data: address cannot be a prefix target',
    map: { imports: { 'foo/': 'data:text/javascript,foo/' } },
    cases: { 'foo/bar': 'invalid-url', 'foo/': 'data:text/javascript,foo/' },
  },
  {
    name: 'null entries block: no fallback to less specific prefixes',
    map: {
      imports: {
        'null/': '/1/',
        'null/b/': null,
        'null/b/c/': '/1/2/',
        'invalid-url/': '/1/',
        'invalid-url/b/': 'https://:invalid-url:/',
        'invalid-url/b/c/': '/1/2/',
        'without-trailing-slashes/': '/1/',
        'without-trailing-slashes/b/': '/x',
        'without-trailing-slashes/b/c/': '/1/2/',
        'prefix-resolution-error/': '/1/',
        'prefix-resolution-error/b/': 'data:text/javascript,/',
        'prefix-resolution-error/b/c/': '/1/2/',
      },
    },
    cases: {
      'null/x': 'https://example.com/1/x',
      'null/b/x': 'blocked',
      'null/b/': 'blocked',
      'null/b/c/x': 'https://example.com/1/2/x',
      'invalid-url/x': 'https://example.com/1/x',
      'invalid-url/b/x': 'blocked',
      'invalid-url/b/c/x': 'https://example.com/1/2/x',
      'without-trailing-slashes/x': 'https://example.com/1/x',
      'without-trailing-slashes/b/x': 'blocked',
      'without-trailing-slashes/b/c/x': 'https://example.com/1/2/x',
      'prefix-resolution-error/x': 'https://example.com/1/x',
      'prefix-resolution-error/b/x': 'invalid-url',
      'prefix-resolution-error/b/c/x': 'https://example.com/1/2/x',
    },
  },
  {
    name: 'null entries block: no fallback to less specific scopes',
    map: {
      imports: {
        null: 'https://example.com/a',
        'invalid-url': 'https://example.com/b',
        'without-trailing-slashes/': 'https://example.com/c/',
        'prefix-resolution-error/': 'https://example.com/d/',
      },
      scopes: {
        '/js/': {
          null: null,
          'invalid-url': 'https://:invalid-url:/',
          'without-trailing-slashes/': '/x',
          'prefix-resolution-error/': 'data:text/javascript,/',
        },
      },
    },
    cases: {
      null: 'blocked',
      'invalid-url': 'blocked',
      'without-trailing-slashes/x': 'blocked',
      'prefix-resolution-error/x': 'invalid-url',
    },
  },
  {
    name: 'null entries block: no fallback to the specifier as a URL',
    map: {
      imports: {},
      scopes: {
        '/js/': {
          'https://example.com/null': null,
          'https://example.com/invalid-url': 'https://:invalid-url:/',
          'https://example.com/without-trailing-slashes/': '/x',
          'https://example.com/prefix-resolution-error/': 'data:text/javascript,/',
        },
      },
    },
    cases: {
      'https://example.com/null': 'blocked',
      '/null': 'blocked',
      'https://example.com/invalid-url': 'blocked',
      'https://example.com/without-trailing-slashes/x': 'blocked',
      'https://example.com/prefix-resolution-error/x': 'invalid-url',
      'https://example.com/other': 'https://example.com/other',
    },
  },
  {
    name: 'scopes: no scope applies, imports decide',
    map: SCOPES_FALLBACK,
    referrer: 'https://example.com/scope1/foo.mjs',
    cases: { a: 'https://example.com/a-1.mjs', b: 'https://example.com/b-1.mjs', c: 'https://example.com/c-1.mjs', d: 'https://example.com/d-1.mjs' },
  },
  {
    name: 'scopes: a direct scope overrides imports',
    map: SCOPES_FALLBACK,
    referrer: 'https://example.com/scope2/foo.mjs',
    cases: { a: 'https://example.com/a-2.mjs', b: 'https://example.com/b-1.mjs', c: 'https://example.com/c-1.mjs', d: 'https://example.com/d-2.mjs' },
  },
  {
    name: 'scopes: the most specific scope first, then the enclosing scope, then imports',
    map: SCOPES_FALLBACK,
    referrer: 'https://example.com/scope2/scope3/foo.mjs',
    cases: { a: 'https://example.com/a-2.mjs', b: 'https://example.com/b-3.mjs', c: 'https://example.com/c-1.mjs', d: 'https://example.com/d-3.mjs' },
  },
  {
    name: 'scopes: the empty-string scope is the map\'s base URL exactly',
    map: SCOPES_RELATIVE,
    referrer: 'https://example.com/app/index.html',
    cases: { a: 'https://example.com/a-empty-string.mjs', b: 'https://example.com/b-dot-slash.mjs', c: 'https://example.com/c-dot-dot-slash.mjs' },
  },
  {
    name: 'scopes: "./" is the map\'s base directory',
    map: SCOPES_RELATIVE,
    referrer: 'https://example.com/app/foo.mjs',
    cases: { a: 'https://example.com/a-1.mjs', b: 'https://example.com/b-dot-slash.mjs', c: 'https://example.com/c-dot-dot-slash.mjs' },
  },
  {
    name: 'scopes: "../" is the parent of the map\'s base directory',
    map: SCOPES_RELATIVE,
    referrer: 'https://example.com/foo.mjs',
    cases: { a: 'https://example.com/a-1.mjs', b: 'https://example.com/b-1.mjs', c: 'https://example.com/c-dot-dot-slash.mjs' },
  },
  {
    name: 'scopes: packages inside a scope use it, fall back to less specific scopes, then to imports',
    map: SCOPES_PACKAGES,
    referrer: 'https://example.com/js/app.mjs',
    cases: {
      'lodash-dot': 'https://example.com/app/node_modules_2/lodash-es/lodash.js',
      'lodash-dot/foo': 'https://example.com/app/node_modules_2/lodash-es/foo',
      'lodash-dotdot': 'https://example.com/node_modules_2/lodash-es/lodash.js',
      'lodash-dotdot/foo': 'https://example.com/node_modules_2/lodash-es/foo',
      moment: 'https://example.com/node_modules_3/moment/src/moment.js',
      vue: 'https://example.com/node_modules_3/vue/dist/vue.runtime.esm.js',
      'moment/foo': 'https://example.com/node_modules/moment/src/foo',
      'underscore/': 'unmapped',
      'underscore/foo': 'unmapped',
    },
  },
  {
    name: 'scopes: outside a scope its keys do not apply',
    map: SCOPES_PACKAGES,
    referrer: 'https://example.com/app.mjs',
    cases: {
      'lodash-dot': 'https://example.com/app/node_modules/lodash-es/lodash.js',
      'lodash-dotdot': 'https://example.com/node_modules/lodash-es/lodash.js',
      'lodash-dot/foo': 'https://example.com/app/node_modules/lodash-es/foo',
      'lodash-dotdot/foo': 'https://example.com/node_modules/lodash-es/foo',
      moment: 'https://example.com/node_modules_3/moment/src/moment.js',
      'moment/foo': 'https://example.com/node_modules/moment/src/foo',
    },
  },
  {
    name: 'scopes: a scope on another origin does not apply',
    map: SCOPES_PACKAGES,
    referrer: 'https://other.example/js/app.mjs',
    cases: { moment: 'https://example.com/node_modules/moment/src/moment.js', vue: 'unmapped' },
  },
  // Exact vs prefix scope matching.
  { name: 'a scope without "/" matches its URL exactly', map: { scopes: { '/js': EXACT_SCOPE } }, referrer: 'https://example.com/js', cases: EXACT },
  { name: 'a scope without "/" does not match its URL with "/"', map: { scopes: { '/js': EXACT_SCOPE } }, referrer: 'https://example.com/js/', cases: NEITHER },
  { name: 'a scope without "/" does not match URLs under it', map: { scopes: { '/js': EXACT_SCOPE } }, referrer: 'https://example.com/js/app.mjs', cases: NEITHER },
  { name: 'a scope without "/" does not match longer names', map: { scopes: { '/js': EXACT_SCOPE } }, referrer: 'https://example.com/jsiscool', cases: NEITHER },
  { name: 'a scope with "/" does not match its URL without "/"', map: { scopes: { '/js/': PREFIX_SCOPE } }, referrer: 'https://example.com/js', cases: NEITHER },
  { name: 'a scope with "/" matches itself', map: { scopes: { '/js/': PREFIX_SCOPE } }, referrer: 'https://example.com/js/', cases: PREFIX },
  { name: 'a scope with "/" matches URLs under it', map: { scopes: { '/js/': PREFIX_SCOPE } }, referrer: 'https://example.com/js/app.mjs', cases: PREFIX },
  { name: 'a scope with "/" does not match longer names', map: { scopes: { '/js/': PREFIX_SCOPE } }, referrer: 'https://example.com/jsiscool', cases: NEITHER },
  { name: 'both scopes: the exact one for its URL', map: { scopes: { '/js': EXACT_SCOPE, '/js/': PREFIX_SCOPE } }, referrer: 'https://example.com/js', cases: EXACT },
  { name: 'both scopes: the "/" one for its URL', map: { scopes: { '/js': EXACT_SCOPE, '/js/': PREFIX_SCOPE } }, referrer: 'https://example.com/js/', cases: PREFIX },
  { name: 'both scopes: the "/" one under it', map: { scopes: { '/js': EXACT_SCOPE, '/js/': PREFIX_SCOPE } }, referrer: 'https://example.com/js/app.mjs', cases: PREFIX },
  { name: 'both scopes: neither for longer names', map: { scopes: { '/js': EXACT_SCOPE, '/js/': PREFIX_SCOPE } }, referrer: 'https://example.com/jsiscool', cases: NEITHER },
  {
    name: 'a scope that is the referrer itself comes before the directories above it',
    map: {
      imports: { x: '/top.js' },
      scopes: { '/js/app.mjs': { x: '/exact.js' }, '/js/': { x: '/dir.js', y: '/dir-y.js' }, '/': { z: '/root-z.js' } },
    },
    cases: { x: 'https://example.com/exact.js', y: 'https://example.com/dir-y.js', z: 'https://example.com/root-z.js' },
  },
  {
    name: 'scopes remap URL-like specifiers too',
    // Keys resolve against the map's base URL (…/app/), specifiers against the referrer (…/js/).
    map: { scopes: { '/js/': { '../js/dep.js': '/patched/dep.js', './dep.js': '/never.js', '/vendor/': '/vendor-v2/' } } },
    cases: {
      './dep.js': 'https://example.com/patched/dep.js',
      '/js/dep.js': 'https://example.com/patched/dep.js',
      '/vendor/a/b.js': 'https://example.com/vendor-v2/a/b.js',
      './other.js': 'https://example.com/js/other.js',
      '../app/dep.js': 'https://example.com/never.js',
    },
  },
  {
    name: 'file: URLs',
    map: {
      imports: { lib: './lib/index.js', 'lib/': './lib/', 'file:///opt/old/': '/opt/new/' },
      scopes: { './vendor/': { lib: './vendor/lib.js' } },
    },
    mapBase: 'file:///srv/app/importmap.json',
    referrer: 'file:///srv/app/main.js',
    cases: {
      lib: 'file:///srv/app/lib/index.js',
      'lib/util.js': 'file:///srv/app/lib/util.js',
      '/opt/old/x.js': 'file:///opt/new/x.js',
      'file:///opt/old/y.js': 'file:///opt/new/y.js',
      './a.js': 'file:///srv/app/a.js',
      '../b.js': 'file:///srv/b.js',
      'lib/../../escape.js': 'backtracking',
    },
  },
  {
    name: 'file: URLs from a scope',
    map: {
      imports: { lib: './lib/index.js' },
      scopes: { './vendor/': { lib: './vendor/lib.js' } },
    },
    mapBase: 'file:///srv/app/importmap.json',
    referrer: 'file:///srv/app/vendor/pkg/index.js',
    cases: { lib: 'file:///srv/app/vendor/lib.js' },
  },
  {
    name: 'a normalized key ending with "/" whose address does not: exact match only',
    map: { imports: { 'https://a.example': '/x', 'https://a.example/sub/': '/s/' } },
    cases: {
      'https://a.example': 'https://example.com/x',
      'https://a.example/': 'https://example.com/x',
      'https://a.example/y': 'not-a-prefix',
      'https://a.example/sub/z': 'https://example.com/s/z',
    },
  },
];

describe('resolveSpecifier: cases from the spec and the WICG/WPT tests', () => {
  for (const group of resolutionGroups) {
    test(group.name, () => {
      const map = parseImportMap(group.map, group.mapBase ?? MAP_BASE);
      const referrer = group.referrer ?? REFERRER;
      for (const [specifier, expected] of Object.entries(group.cases)) {
        const what = `${JSON.stringify(specifier)} from ${referrer}`;
        assert.equal(outcome(specifier, referrer, map), expected, what);
        // The same through the other entry point and a URL referrer.
        if (isFailure(expected)) {
          assert.throws(() => resolveSpecifierHref(specifier, new URL(referrer), map), ModuleResolutionError, what);
        } else {
          assert.equal(resolveSpecifierHref(specifier, new URL(referrer), map), expected, what);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------
// Resolution: errors and API

describe('resolveSpecifier: errors', () => {
  const map = parseImportMap(
    {
      imports: { 'pkg/': '/node_modules/pkg/', blocked: null, 'data/': 'data:text/javascript,/', 'https://a.example': '/x' },
      scopes: { '/js/': { 'scoped/': 5 } },
    },
    MAP_BASE,
  );

  function caught(specifier: string, referrer: string | URL = REFERRER, importMap: ImportMap | undefined = map): ModuleResolutionError {
    try {
      resolveSpecifier(specifier, referrer, importMap);
    } catch (error) {
      assert.ok(error instanceof ModuleResolutionError, String(error));
      return error;
    }
    assert.fail(`${specifier} resolved`);
  }

  test('an unmapped bare specifier', () => {
    const error = caught('lodash');
    assert.ok(error instanceof TypeError);
    assert.equal(error.name, 'TypeError');
    assert.equal(error.code, 'ERR_CANON_UNRESOLVED_SPECIFIER');
    assert.equal(error.reason, 'unmapped');
    assert.equal(error.specifier, 'lodash');
    assert.equal(error.referrer, REFERRER);
    assert.equal(error.specifierKey, undefined);
    assert.equal(error.scope, undefined);
    assert.equal(
      error.message,
      'Unresolved bare specifier: it is not a URL and does not start with "/", "./" or "../", and no import map entry maps it ' +
        '(specifier "lodash" from https://example.com/js/app.mjs)',
    );
    assert.throws(() => resolveSpecifier('lodash', REFERRER), /and no import map was given \(specifier "lodash" from/);
  });

  test('the referrer in the error is serialized', () => {
    const error = caught('lodash', 'HTTPS://Example.COM/js/../js/app.mjs');
    assert.equal(error.referrer, REFERRER);
    assert.equal(caught('lodash', new URL(REFERRER)).referrer, REFERRER);
  });

  test('a null entry, exact and as a prefix, in imports and in a scope', () => {
    const exact = caught('blocked');
    assert.equal(exact.reason, 'blocked');
    assert.equal(exact.specifierKey, 'blocked');
    assert.match(exact.message, /^The import map entry "blocked" is null, which blocks resolution: its address null is not a string \(specifier "blocked" from https:\/\/example.com\/js\/app.mjs\)$/);

    const scoped = caught('scoped/x.js');
    assert.equal(scoped.reason, 'blocked');
    assert.equal(scoped.specifierKey, 'scoped/');
    assert.equal(scoped.scope, 'https://example.com/js/');
    assert.match(scoped.message, /^The import map prefix "scoped\/" in the scope "https:\/\/example.com\/js\/" is null, which blocks resolution: its address number 5 is not a string/);
    // Outside the scope the key does not exist.
    assert.equal(caught('scoped/x.js', 'https://example.com/other.mjs').reason, 'unmapped');
  });

  test('backtracking above a prefix', () => {
    const error = caught('pkg/../secret.js');
    assert.equal(error.reason, 'backtracking');
    assert.equal(error.specifierKey, 'pkg/');
    assert.equal(
      error.message,
      'The specifier backtracks above its import map prefix "pkg/": "../secret.js" against https://example.com/node_modules/pkg/ ' +
        'is https://example.com/node_modules/secret.js, outside https://example.com/node_modules/pkg/ ' +
        '(specifier "pkg/../secret.js" from https://example.com/js/app.mjs)',
    );
  });

  test('a remainder that does not parse against the address', () => {
    const error = caught('data/x');
    assert.equal(error.reason, 'invalid-url');
    assert.match(error.message, /^The part after the import map prefix "data\/", "x", does not parse as a URL relative to the prefix's address data:text\/javascript,\//);
  });

  test('a prefix whose address does not end with "/"', () => {
    const error = caught('https://a.example/y');
    assert.equal(error.reason, 'not-a-prefix');
    assert.match(error.message, /prefix "https:\/\/a.example\/" maps to https:\/\/example.com\/x, which does not end with "\/"/);
  });

  test('arguments', () => {
    const invalid = (fn: () => unknown, pattern: RegExp) =>
      assert.throws(fn, (error: unknown) => error instanceof InvalidArgumentError && pattern.test((error as Error).message));
    invalid(() => resolveSpecifier('./a.js', 'not a url'), /^resolveSpecifier: the referrer must be an absolute URL, got "not a url"$/);
    invalid(() => resolveSpecifier('./a.js', '/relative/only.js'), /referrer must be an absolute URL/);
    invalid(() => resolveSpecifierHref('./a.js', 7 as unknown as string), /^resolveSpecifierHref: the referrer must be a URL or a URL string, got number 7$/);
    invalid(() => resolveSpecifier(undefined as unknown as string, REFERRER), /the specifier must be a string, got undefined/);
    invalid(() => resolveSpecifier('a', REFERRER, { imports: new Map(), scopes: new Map(), integrity: new Map(), warnings: [] }), /the import map must come from parseImportMap/);
  });
});

describe('resolveSpecifier: behaviour', () => {
  test('every call returns a new URL: mutating one does not affect the map', () => {
    const map = parseImportMap({ imports: { a: '/a.js', 'p/': '/p/' } }, MAP_BASE);
    const first = resolveSpecifier('a', REFERRER, map);
    first.pathname = '/changed.js';
    assert.equal(resolveSpecifier('a', REFERRER, map).href, 'https://example.com/a.js');
    assert.notEqual(resolveSpecifier('p/x', REFERRER, map), resolveSpecifier('p/x', REFERRER, map));
  });

  test('alternating referrers and maps (the per-referrer caches)', () => {
    const one = parseImportMap(SCOPES_FALLBACK, MAP_BASE);
    const two = parseImportMap({ imports: { a: '/two-a.mjs' }, scopes: { '/scope2/': { a: '/two-a-2.mjs' } } }, MAP_BASE);
    const referrers = ['https://example.com/scope1/foo.mjs', 'https://example.com/scope2/foo.mjs', 'https://example.com/scope2/scope3/foo.mjs'];
    const expectedOne = ['https://example.com/d-1.mjs', 'https://example.com/d-2.mjs', 'https://example.com/d-3.mjs'];
    const expectedTwo = ['https://example.com/two-a.mjs', 'https://example.com/two-a-2.mjs', 'https://example.com/two-a-2.mjs'];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < referrers.length; i++) {
        const j = (i + round) % referrers.length;
        assert.equal(resolveSpecifierHref('d', referrers[j]!, one), expectedOne[j]);
        assert.equal(resolveSpecifierHref('a', referrers[j]!, two), expectedTwo[j]);
        assert.equal(resolveSpecifierHref('d', new URL(referrers[j]!), one), expectedOne[j]);
      }
    }
  });

  test('a referrer string is normalized before scopes are matched', () => {
    const map = parseImportMap({ scopes: { '/js/': { x: '/x.js' } } }, MAP_BASE);
    assert.equal(resolveSpecifierHref('x', 'https://EXAMPLE.com:443/other/../js/app.mjs', map), 'https://example.com/x.js');
    assert.equal(outcome('x', 'https://example.com/other/js/app.mjs', map), 'unmapped');
  });

  test('the spec\'s examples', () => {
    // "moment/" maps the whole package; "moment" alone needs its own entry.
    const moment = parseImportMap({ imports: { moment: '/node_modules/moment/src/moment.js', 'moment/': '/node_modules/moment/src/' } }, MAP_BASE);
    assert.equal(resolveSpecifierHref('moment/locale/zh-cn.js', REFERRER, moment), 'https://example.com/node_modules/moment/src/locale/zh-cn.js');
    assert.equal(resolveSpecifierHref('moment', REFERRER, moment), 'https://example.com/node_modules/moment/src/moment.js');
    // Scoped versions of a dependency.
    const scoped = parseImportMap(
      { imports: { a: '/a-1.mjs', b: '/b-1.mjs', c: '/c-1.mjs' }, scopes: { '/scope2/': { a: '/a-2.mjs' }, '/scope2/scope3/': { b: '/b-3.mjs' } } },
      MAP_BASE,
    );
    assert.equal(resolveSpecifierHref('a', 'https://example.com/scope2/scope3/foo.mjs', scoped), 'https://example.com/a-2.mjs');
    assert.equal(resolveSpecifierHref('b', 'https://example.com/scope2/scope3/foo.mjs', scoped), 'https://example.com/b-3.mjs');
    assert.equal(resolveSpecifierHref('c', 'https://example.com/scope2/scope3/foo.mjs', scoped), 'https://example.com/c-1.mjs');
    // Remapping a URL: a polyfill for a missing built-in.
    const polyfill = parseImportMap({ imports: { 'https://cdn.example/lodash.js': './lodash.js' } }, MAP_BASE);
    assert.equal(resolveSpecifierHref('https://cdn.example/lodash.js', REFERRER, polyfill), 'https://example.com/app/lodash.js');
  });

  test('many keys: exact and longest-prefix lookups', () => {
    const imports: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) {
      imports[`pkg${i}`] = `/pkgs/${i}/index.js`;
      imports[`pkg${i}/`] = `/pkgs/${i}/`;
      imports[`pkg${i}/deep/er/`] = `/deep/${i}/`;
    }
    const map = parseImportMap({ imports }, MAP_BASE);
    assert.equal(map.imports.size, 6000);
    assert.equal(resolveSpecifierHref('pkg1999', REFERRER, map), 'https://example.com/pkgs/1999/index.js');
    assert.equal(resolveSpecifierHref('pkg7/a/b.js', REFERRER, map), 'https://example.com/pkgs/7/a/b.js');
    assert.equal(resolveSpecifierHref('pkg7/deep/er/x.js', REFERRER, map), 'https://example.com/deep/7/x.js');
    assert.equal(resolveSpecifierHref('pkg7/deep/x.js', REFERRER, map), 'https://example.com/pkgs/7/deep/x.js');
    assert.equal(outcome('pkg2000/x', REFERRER, map), 'unmapped');
  });
});

// ---------------------------------------------------------------------------
// A literal reading of the spec as a model, on random maps

/** "Resolve a module specifier", walking the parsed maps in order as the spec does. */
function modelResolve(specifier: string, referrer: string, map: ImportMap): string {
  const base = new URL(referrer).href;
  let asURL: URL | null = null;
  try {
    asURL = /^(\/|\.\/|\.\.\/)/.test(specifier) ? new URL(specifier, base) : new URL(specifier);
  } catch {
    asURL = null;
  }
  const normalized = asURL ? asURL.href : specifier;
  const special = asURL === null || ['ftp:', 'file:', 'http:', 'https:', 'ws:', 'wss:'].includes(asURL.protocol);
  const match = (specifierMap: ModuleSpecifierMap): string | null => {
    for (const [key, address] of specifierMap) {
      if (key === normalized) {
        if (address === null) throw new Error('blocked');
        return address;
      }
      if (key.endsWith('/') && normalized.startsWith(key) && special) {
        if (address === null) throw new Error('blocked');
        if (!address.endsWith('/')) throw new Error('not-a-prefix');
        let url: URL;
        try {
          url = new URL(normalized.slice(key.length), address);
        } catch {
          throw new Error('invalid-url');
        }
        if (!url.href.startsWith(address)) throw new Error('backtracking');
        return url.href;
      }
    }
    return null;
  };
  try {
    for (const [prefix, scopeImports] of map.scopes) {
      if (prefix === base || (prefix.endsWith('/') && base.startsWith(prefix))) {
        const result = match(scopeImports);
        if (result !== null) return result;
      }
    }
    const result = match(map.imports);
    if (result !== null) return result;
  } catch (error) {
    return (error as Error).message;
  }
  return asURL ? asURL.href : 'unmapped';
}

describe('resolveSpecifier against a literal spec walk', () => {
  const keys = ['a', 'a/', 'a/b', 'a/b/', 'b/', 'ab/', '', '/x/', '/x/y/', './', '../y/', '/', 'https://ex.example/', 'https://ex.example/a/', 'node:fs', 'std:/', 'std:/lib/', '%2E/', 'https://ex.example'];
  const addresses = ['/1/', '/2', './3/', '../4/', 'https://cdn.example/p/', 'https://cdn.example/q', 'data:text/javascript,/', 'bad', 'https://:bad/', '/'];
  const scopeKeys = ['/', '/js/', '/js', '/js/app.mjs', '/js/sub/', 'https://other.example/', '', './', 'https://example.com/jsx/'];
  const specifiers = [
    'a', 'a/', 'a/x', 'a/b', 'a/b/', 'a/b/c', 'a/../x', 'a/b/../../x', 'ab/c', 'b/c/d', 'b/../..', '/x/y', '/x/y/z', '/x/../q', './z', '../z', '../y/w',
    'https://ex.example/', 'https://ex.example/a/k', 'https://ex.example/a/../k', 'node:fs', 'node:path', 'std:/lib/x', 'std:/x', '%2E/x', 'c',
    'https://cdn.example/p/z', '/', './', 'https://ex.example',
  ];
  const referrers = ['https://example.com/js/app.mjs', 'https://example.com/js', 'https://example.com/js/sub/m.mjs', 'https://example.com/other.mjs', 'https://other.example/a.mjs', 'https://example.com/jsx/a.js'];

  const specifierMap = fc.dictionary(fc.constantFrom(...keys), fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...addresses) }, { weight: 1, arbitrary: fc.constant(null) }), { maxKeys: 8 });
  const importMapValue = fc.record({ imports: specifierMap, scopes: fc.dictionary(fc.constantFrom(...scopeKeys), specifierMap, { maxKeys: 4 }) });

  test('same outcome for every specifier and referrer', () => {
    fc.assert(
      fc.property(importMapValue, (value) => {
        const map = parseImportMap(value, MAP_BASE);
        for (const referrer of referrers) {
          for (const specifier of specifiers) {
            assert.equal(outcome(specifier, referrer, map), modelResolve(specifier, referrer, map), `${specifier} from ${referrer} with ${JSON.stringify(value)}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------
// Differential: Node's URL parser and ESM resolver

describe('the URL-like part against Node', () => {
  const referrers = ['https://example.com/js/app.mjs', 'https://example.com/', 'file:///srv/app/src/main.js', 'file:///', 'http://user:pw@host.example:8080/a/b/c?q#h'];
  const relative = [
    './a.js', '../a.js', '../../../../a.js', '/a.js', '//host.example/a.js', './', '../', '/', './a/./b/../c.js', './a%20b.js', './a b.js', './ä.js',
    './a.js?x=1#frag', '../%2e%2e/x.js', './.%2E/x.js', '/..', './\\x.js', './a\\..\\b.js', '/\tt.js', './%zz.js',
  ];

  test('with no map, "/", "./" and "../" specifiers resolve as new URL(specifier, referrer)', () => {
    for (const referrer of referrers) {
      for (const specifier of relative) {
        assert.equal(resolveSpecifierHref(specifier, referrer), new URL(specifier, referrer).href, `${specifier} from ${referrer}`);
      }
    }
  });

  test('with no map, other specifiers resolve exactly when new URL(specifier) parses', () => {
    const alphabet = fc.constantFrom('a', 'Z', '0', '+', '-', '.', ':', '/', '\\', '?', '#', '%', '2', 'e', '@', ' ', '\t', '\n', '\0', 'é', '[', ']', 'h', 't', 'p', 's');
    const specifier = fc.oneof(
      fc.array(alphabet, { maxLength: 12 }).map((chars) => chars.join('')),
      fc.tuple(fc.constantFrom('https:', 'http:', 'file:', 'data:', 'node:', 'blob:', 'x-y+z.1:', ' https:', '\thttp:', 'h\nttps:', '1a:', 'a_b:'), fc.string({ maxLength: 8 })).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(specifier, fc.constantFrom(...referrers), (s, referrer) => {
        const relativeLike = s.startsWith('/') || s.startsWith('./') || s.startsWith('../');
        let expected: string;
        try {
          expected = (relativeLike ? new URL(s, referrer) : new URL(s)).href;
        } catch {
          expected = 'unmapped';
        }
        assert.equal(outcome(s, referrer), expected, JSON.stringify(s));
      }),
      { numRuns: 5000 },
    );
  });

  test('Node\'s ESM resolver (import.meta.resolve) agrees on URL-like specifiers', () => {
    // Files that do not exist: Node reports the URL it would load.
    const specifiers = [
      './no-such-file.js', '../no-such-dir/x.mjs', '../../x/../y.js?q=1#h', '/no/such/abs.mjs', './a%20b.js', './ä.js', './.%2E/q.js',
      './x\\y.js', 'file:///no/such/file.js', 'node:fs', 'node:path', 'data:text/javascript,export default 1', 'https://example.com/x.js', './',
    ];
    for (const specifier of specifiers) {
      assert.equal(resolveSpecifierHref(specifier, import.meta.url), import.meta.resolve(specifier), specifier);
    }
  });

  test('where HTML and Node differ: "." and ".." are bare specifiers in HTML, relative in Node', () => {
    assert.equal(import.meta.resolve('.'), new URL('./', import.meta.url).href);
    assert.equal(outcome('.', import.meta.url), 'unmapped');
    assert.equal(outcome('..', import.meta.url), 'unmapped');
  });

  test('with a map, URL-like specifiers no entry matches still resolve as Node would', () => {
    const map = parseImportMap({ imports: { lodash: '/lodash.js', 'pkg/': '/pkg/', 'https://cdn.example/': '/cdn/' } }, MAP_BASE);
    for (const referrer of referrers) {
      for (const specifier of relative) {
        const expected = new URL(specifier, referrer).href;
        if (expected.startsWith('https://cdn.example/')) continue;
        assert.equal(resolveSpecifierHref(specifier, referrer, map), expected, `${specifier} from ${referrer}`);
      }
    }
  });
});
