import { parentPort, workerData } from 'node:worker_threads';
import { double } from 'math';   // the parent registry's import map answers this in the worker too
parentPort.postMessage(`${workerData.name}: ${double(21)}`);
