#!/usr/bin/env node
// Runs the TypeScript command line directly, the same sources `npm start` runs.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
