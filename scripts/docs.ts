/**
 * `npm run docs`: writes out what is generated from the desired-state schema (spec/schema.ts): the
 * published desired-state.schema.json, for users' editors and tools, and the README's reference.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { desiredStateSchema } from '../spec/schema';
import { withSchemaReference } from '../spec/schema-reference';

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const schemaFile = join(root, 'desired-state.schema.json');
  writeFileSync(schemaFile, await format(JSON.stringify(desiredStateSchema), { filepath: schemaFile }));
  console.log('desired-state.schema.json: written from spec/schema.ts');
  const readme = join(root, 'README.md');
  writeFileSync(readme, withSchemaReference(readFileSync(readme, 'utf8')));
  console.log('README.md: desired-state reference regenerated from spec/schema.ts');
}

void main();
