// Preloaded (node -r) by bench:graph to give the CommonJS floor
// (vm-floor-cjs.cjs) its resolution answers: every require's resolved file,
// keyed by the requiring module's directory and the request, as Node's own
// per-directory resolution cache keys them. Written to $RECORD_REQUIRES at exit.
'use strict';
const Module = require('node:module');
const { dirname } = require('node:path');
const { writeFileSync } = require('node:fs');

const resolve = Module._resolveFilename;
const answers = {};
Module._resolveFilename = function (request, parent, isMain, options) {
  const file = resolve.call(this, request, parent, isMain, options);
  if (parent?.filename && options === undefined) (answers[dirname(parent.filename)] ??= {})[request] = file;
  return file;
};
process.on('exit', () => writeFileSync(process.env.RECORD_REQUIRES, JSON.stringify(answers)));
