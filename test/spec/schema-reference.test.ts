import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaReference, withSchemaReference } from '../../spec/schema-reference';

describe('the README’s desired-state reference', () => {
  it('lists every field of the schema with its type and default', () => {
    const reference = schemaReference();
    expect(reference).toContain('| `stack` (required) | string |');
    expect(reference).toContain(
      '| `fargate.cpu` | `256` \\| `512` \\| `1024` \\| `2048` \\| `4096` \\| `8192` \\| `16384` | `256` |',
    );
    expect(reference).toContain('| `thresholds.scaleUp.requestsPerSecond` |');
    expect(reference).toContain('| `dns.certificateArn` (required) |');
  });

  it('is what the README holds (run `npm run docs` after changing the schema)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(withSchemaReference(readme)).toBe(readme);
  });
});
