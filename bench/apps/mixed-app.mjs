// A mixed ES module / CommonJS app for bench:graph: an ES module entry that
// imports CommonJS packages (express, lodash, yargs) beside ES module ones
// (chalk 5, zod, rxjs, nanoid, preact, immer).
import express from 'express';
import _ from 'lodash';
import yargs from 'yargs';
import chalk from 'chalk';
import { z } from 'zod';
import { of, map } from 'rxjs';
import { nanoid } from 'nanoid';
import { h } from 'preact';
import { produce } from 'immer';
import semver from 'semver';

const schema = z.object({ name: z.string(), n: z.number() });
const parsed = schema.parse({ name: 'x', n: 1 });
let doubled = 0;
of(1, 2, 3).pipe(map((x) => x * 2)).subscribe((x) => (doubled += x));
const next = produce({ a: 1 }, (draft) => { draft.a = 2; });
console.log([typeof express(), _.chunk([1, 2, 3], 2).length, typeof yargs, typeof chalk.red, parsed.n, doubled, nanoid(4).length, h('p', null).type, next.a, semver.major('2.0.0')].join(' '));
