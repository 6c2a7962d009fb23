#!/usr/bin/env node
// Turns shared-schema/contract.schema.json (exported from backend/vdp/contract) into the frontend's TS types.
// Usage: node shared-schema/generate.mjs [--schema FILE] [--out DIR]
//   FILE defaults to shared-schema/contract.schema.json, DIR to frontend/src/types/generated.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
// The generator is a dev dependency of the frontend workspace, hoisted to the root node_modules.
const require = createRequire(join(repoRoot, 'frontend', 'package.json'));
const { compile } = require('json-schema-to-typescript');

function option(argv, name, fallback) {
  const at = argv.indexOf(name);
  if (at === -1) return fallback;
  const value = argv[at + 1];
  if (!value) {
    console.error('usage: node shared-schema/generate.mjs [--schema FILE] [--out DIR]');
    process.exit(2);
  }
  return resolve(value);
}

const BANNER = `/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: backend/vdp/contract (Pydantic) -> shared-schema/contract.schema.json -> shared-schema/generate.mjs.
 * Regenerate with: node shared-schema/generate.mjs
 */`;

/**
 * Pydantic writes `{$ref, default}` for a field with a default; the generator would then emit a renamed copy of the
 * referenced type (TaskStatus1, TaskStatus2, ...). Defaults mean nothing to the TS types, so keep only the $ref.
 */
function bareRefs(node) {
  if (Array.isArray(node)) return node.map(bareRefs);
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') return { $ref: node.$ref };
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, bareRefs(value)]));
}

const argv = process.argv.slice(2);
const source = option(argv, '--schema', join(here, 'contract.schema.json'));
const schema = bareRefs(JSON.parse(await readFile(source, 'utf8')));
const ts = await compile(schema, 'VdpContract', {
  additionalProperties: false,
  bannerComment: BANNER,
  unreachableDefinitions: true,
  declareExternallyReferenced: true,
  // Pydantic's max_length on id lists would otherwise become huge tuple unions.
  ignoreMinAndMaxItems: true,
  strictIndexSignatures: true,
  format: true,
  style: { singleQuote: true, printWidth: 120, endOfLine: 'lf' },
  cwd: here,
});

const dir = option(argv, '--out', join(repoRoot, 'frontend', 'src', 'types', 'generated'));
await mkdir(dir, { recursive: true });
await writeFile(join(dir, 'contract.ts'), ts);

