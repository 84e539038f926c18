/**
 * The AWS operations the reconciler Lambda's code can send, read from the code itself: esbuild resolves
 * the handler's import graph (exactly what the bundle holds), and each of our files in it is scanned
 * for `new XxxCommand(` with the client package the command was imported from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..', '..');

const PACKAGE_SERVICE: Record<string, string> = {
  'client-ec2': 'ec2',
  'client-elastic-load-balancing-v2': 'elbv2',
  'client-ecs': 'ecs',
  'client-application-auto-scaling': 'autoscaling',
  'client-route-53': 'route53',
  'client-lambda': 'lambda',
  'client-apigatewayv2': 'apigatewayv2',
  'client-cloudwatch': 'cloudwatch',
  'client-resource-groups-tagging-api': 'tagging',
  'client-iam': 'iam',
  'client-scheduler': 'scheduler',
  'client-dynamodb': 'dynamodb',
  'client-sqs': 'sqs',
  'lib-dynamodb': 'dynamodb',
};

/** The document client's commands are the table API's operations under shorter names. */
const DOCUMENT_OPERATIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Scan: 'Scan',
  Query: 'Query',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactWrite: 'TransactWriteItems',
  TransactGet: 'TransactGetItems',
};

/**
 * Files in the bundle whose calls the Lambda never makes, and why. Anything listed here must really
 * be unreachable from the handler; keep it short.
 */
export const NOT_CALLED_BY_THE_LAMBDA: Record<string, string> = {
  'reconciler/state/table.ts':
    'ensureTable: the CLI creates the sandbox table; bootstrap creates the real one',
};

export async function handlerSourceFiles(): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, 'reconciler', 'handler.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((f) => f.endsWith('.ts') && !f.includes('node_modules'));
}

/** `service:Operation` → files that send it. */
export async function operationsInCode(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const file of await handlerSourceFiles()) {
    if (NOT_CALLED_BY_THE_LAMBDA[file]) continue;
    const text = readFileSync(join(ROOT, file), 'utf8');
    const commandPackage = new Map<string, string>();
    for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z0-9-]+)'/g)) {
      for (const name of m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        if (name.endsWith('Command')) commandPackage.set(name, m[2]!);
      }
    }
    for (const m of text.matchAll(/new\s+([A-Za-z0-9]+)Command\(/g)) {
      const pkg = commandPackage.get(`${m[1]}Command`);
      if (!pkg) throw new Error(`${file}: ${m[1]}Command is not imported from an @aws-sdk package`);
      const service = PACKAGE_SERVICE[pkg];
      if (!service) throw new Error(`${file}: no service known for @aws-sdk/${pkg}`);
      const operation = pkg === 'lib-dynamodb' ? DOCUMENT_OPERATIONS[m[1]!] : m[1]!;
      if (!operation) throw new Error(`${file}: no table operation known for ${m[1]}Command`);
      const key = `${service}:${operation}`;
      found.set(key, [...(found.get(key) ?? []), file]);
    }
  }
  return found;
}
