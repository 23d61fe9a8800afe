// A CommonJS app for bench:graph: what a typical express service loads at
// start-up (express, its middleware, a CLI parser, utilities), then one
// request handled in-process (no socket), so the run is about loading.
const express = require('express');
const yargs = require('yargs/yargs');
const { Command } = require('commander');
const _ = require('lodash');
const semver = require('semver');
const debug = require('debug')('app');
const yaml = require('js-yaml');
const validator = require('validator');
const uuid = require('uuid');
const chalk = require('chalk4');
const dayjs = require('dayjs');
const ms = require('ms');

const argv = yargs(['--port', '0']).option('port', { type: 'number' }).parse();
const program = new Command().option('-v, --verbose').parse(['node', 'app', '-v']);
const app = express();
app.use(express.json());
app.get('/', (req, res) => res.json({ ok: true }));
debug('configured');
const summary = [
  typeof app.handle, argv.port, program.opts().verbose, _.sum([1, 2, 3]), semver.valid('1.2.3'),
  yaml.load('a: 1').a, validator.isEmail('a@b.co'), uuid.validate(uuid.v4()), chalk.level >= 0,
  dayjs('2020-01-01').year(), ms('1m'),
];
console.log(summary.join(' '));
