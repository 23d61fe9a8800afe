// Real paths for resolution (ts-host/resolve/real-path.ts): a directory
// listed once gives the same answers as asking realpath(3) per file, for
// plain files, symbolic links to files, files in a linked directory, files
// made after the listing and files that do not exist.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { RealPaths, realFileURL } from '../ts-host/resolve/real-path.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'canon-real-paths-')));
after(() => rmSync(root, { recursive: true, force: true }));

test('a listed directory answers as realpath(3) does, file by file', () => {
  mkdirSync(join(root, 'real'));
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'real', 'plain.mjs'), '');
  writeFileSync(join(root, 'outside', 'target.mjs'), '');
  symlinkSync(join(root, 'outside', 'target.mjs'), join(root, 'real', 'link.mjs'));
  symlinkSync(join(root, 'real'), join(root, 'linked-dir'));
  const hrefs = [
    'real/plain.mjs', 'real/link.mjs', 'linked-dir/plain.mjs', 'linked-dir/link.mjs', 'real/missing.mjs', 'real/odd%20name.mjs',
  ].map((p) => pathToFileURL(join(root, p)).href);
  const listed = new RealPaths();
  const first = hrefs.map((h) => listed.fileURL(h));
  assert.deepEqual(first, hrefs.map((h) => realFileURL(h)));
  assert.equal(first[1], pathToFileURL(join(root, 'outside', 'target.mjs')).href, 'a link resolves to its target');
  assert.equal(first[2], pathToFileURL(join(root, 'real', 'plain.mjs')).href, 'a file in a linked directory resolves to the real directory');
  // Made after the directory was listed: the exact path is asked for.
  writeFileSync(join(root, 'outside', 'later.mjs'), '');
  symlinkSync(join(root, 'outside', 'later.mjs'), join(root, 'real', 'later.mjs'));
  assert.equal(listed.fileURL(pathToFileURL(join(root, 'real', 'later.mjs')).href), pathToFileURL(join(root, 'outside', 'later.mjs')).href);
  // After clear() the directory is listed again.
  listed.clear();
  assert.deepEqual(hrefs.map((h) => listed.fileURL(h)), first);
});

test("a directory's only file asked for is asked of realpath(3) each time; its second file lists the directory", () => {
  mkdirSync(join(root, 'alone'));
  writeFileSync(join(root, 'outside', 'alone-target.mjs'), '');
  writeFileSync(join(root, 'alone', 'other.mjs'), '');
  const main = pathToFileURL(join(root, 'alone', 'main.mjs')).href;
  const other = pathToFileURL(join(root, 'alone', 'other.mjs')).href;
  const target = pathToFileURL(join(root, 'outside', 'alone-target.mjs')).href;
  const paths = new RealPaths();
  // Not there yet: the URL as written; made since (a link), asked again: where it really is.
  assert.equal(paths.fileURL(main), main);
  symlinkSync(join(root, 'outside', 'alone-target.mjs'), join(root, 'alone', 'main.mjs'));
  assert.equal(paths.fileURL(main), target);
  assert.equal(paths.fileURL(other), other);
  assert.equal(paths.fileURL(main), target, 'a link in a listed directory still resolves');
});
