/** `npm run docs`: regenerates the README's desired-state reference from the schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withSchemaReference } from '../spec/schema-reference';

const readme = join(__dirname, '..', 'README.md');
writeFileSync(readme, withSchemaReference(readFileSync(readme, 'utf8')));
console.log('README.md: desired-state reference regenerated from desired-state.schema.json');
