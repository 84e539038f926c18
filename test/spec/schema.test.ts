/**
 * The desired-state schema (spec/schema.ts), the one source of the contract: the published
 * desired-state.schema.json is it, written out; a fully populated document of the derived types passes
 * validation unchanged; every object is closed and every property described.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateSpec, type DesiredState } from '../../spec';
import { desiredStateSchema as schema } from '../../spec/schema';

type DeepRequired<T> = T extends (infer U)[]
  ? DeepRequired<U>[]
  : T extends object
    ? { [K in keyof T]-?: T[K] extends Record<string, string> ? T[K] : DeepRequired<T[K]> }
    : T;

const FULL: DeepRequired<DesiredState> = {
  stack: 'orders-api',
  image: 'orders-api:1',
  mode: 'lambda',
  port: 3000,
  healthCheckPath: '/ready',
  environment: { AB: 'c' },
  lambda: { memoryMb: 1024, timeoutSeconds: 10, reservedConcurrency: 5 },
  fargate: { cpu: 1024, memoryMb: 2048, minTasks: 2, maxTasks: 4, targetRequestsPerTask: 50 },
  thresholds: {
    scaleUp: { requestsPerSecond: 30, forMinutes: 2, lambdaConcurrencyPercent: 70 },
    scaleDown: { requestsPerSecond: 10, forMinutes: 20 },
    cooldownMinutes: 5,
  },
  network: { cidr: '192.168.0.0/20' },
  dns: {
    hostedZoneId: 'ZABC',
    recordName: 'api.example.org',
    ttlSeconds: 30,
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123',
  },
  traffic: { shiftSteps: [25, 100], stepSeconds: 30 },
  api: { tokenSha256: 'c'.repeat(64) },
};

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  description?: string;
}

/** Dotted paths of every declared property, recursing into objects with declared properties. */
function schemaPaths(node: SchemaNode, prefix = ''): string[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...schemaPaths(child, path)];
  });
}

function objectNodes(node: SchemaNode, path = '(root)'): [string, SchemaNode][] {
  return [
    ...(node.type === 'object' ? [[path, node] as [string, SchemaNode]] : []),
    ...Object.entries(node.properties ?? {}).flatMap(([key, child]) => objectNodes(child, key)),
  ];
}

describe('the desired-state schema', () => {
  it('is what desired-state.schema.json publishes (`npm run docs` writes it)', () => {
    const published = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'desired-state.schema.json'), 'utf8'),
    );
    expect(published).toEqual(schema);
  });

  it('and its derived types agree on a fully populated document: it validates and comes back unchanged', () => {
    expect(validateSpec(FULL)).toEqual({ ok: true, spec: FULL });
  });

  it('forbids unknown fields in every object except the environment map', () => {
    for (const [path, node] of objectNodes(schema as unknown as SchemaNode)) {
      if (path === 'environment') expect(node.additionalProperties).toEqual({ type: 'string' });
      else expect([path, node.additionalProperties]).toEqual([path, false]);
    }
  });

  it('describes every property', () => {
    const undocumented = schemaPaths(schema as unknown as SchemaNode).filter((path) => {
      const node = path
        .split('.')
        .reduce<SchemaNode>((n, key) => n.properties?.[key] ?? {}, schema as unknown as SchemaNode);
      return !node.description;
    });
    expect(undocumented).toEqual([]);
  });

  it('is a 2020-12 schema with an $id, requiring only stack and image', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\//);
    expect(schema.required).toEqual(['stack', 'image']);
  });
});
