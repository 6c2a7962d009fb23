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

/** A JSON Schema of a command's args or result as a TS type over the generated declarations (`unknown` when open). */
function tsType(node, known) {
  if (!node || typeof node !== 'object' || Object.keys(node).length === 0) return 'unknown';
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/$defs/', '');
    return known.has(name) ? name : 'unknown';
  }
  if (Array.isArray(node.anyOf)) return node.anyOf.map((member) => tsType(member, known)).join(' | ');
  switch (node.type) {
    case 'null':
      return 'null';
    case 'integer':
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = tsType(node.items, known);
      return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return typeof node.additionalProperties === 'object'
        ? `Record<string, ${tsType(node.additionalProperties, known)}>`
        : 'Record<string, unknown>';
    default:
      return 'unknown';
  }
}

/** `CommandMap`: each command's args and result, so `invoke('pause_download', …)` is checked by command. */
function commandMap(commands, known) {
  const lines = Object.entries(commands).map(
    ([name, { args, result }]) => `  ${name}: { args: ${tsType(args, known)}; result: ${tsType(result, known)} };`,
  );
  return [
    '',
    '/** Every command with its arguments and result (from the bridge\'s command table). */',
    'export interface CommandMap {',
    ...lines,
    '}',
    'export type CommandName = keyof CommandMap;',
    "export type CommandArgs<K extends CommandName> = CommandMap[K]['args'];",
    "export type CommandResult<K extends CommandName> = CommandMap[K]['result'];",
    '',
  ].join('\n');
}

const argv = process.argv.slice(2);
const source = option(argv, '--schema', join(here, 'contract.schema.json'));
const { 'x-commands': commands = {}, ...schema } = bareRefs(JSON.parse(await readFile(source, 'utf8')));
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
await writeFile(join(dir, 'contract.ts'), ts + commandMap(commands, new Set(Object.keys(schema.$defs ?? {}))));

