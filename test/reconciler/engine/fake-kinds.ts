/**
 * Fake resource kinds over an in-memory "cloud", so the engine (plan, apply, observe) is tested apart
 * from any AWS service model.
 */
import type { DesiredState } from '../../../spec/types';
import type {
  DependencyStrength,
  ObservedResource,
  ManagedResource,
  Waiters,
} from '../../../reconciler/resources/types';
import type { Intent } from '../../../reconciler/resources/intent';
import type { AwsClients } from '../../../reconciler/aws/clients';

export interface FakeResource {
  id: string;
  size: number;
  ready: boolean;
  foreign?: boolean;
  state?: string;
}

export class FakeCloud {
  resources = new Map<string, FakeResource>();
  calls: string[] = [];
  /** key → errors to throw on the next calls (shifted one per call). */
  failures = new Map<string, Error[]>();
  /** Keys whose resource, created not ready, is ready by the time it is found (EC2's `pending` for moments). */
  readyWhenFound = new Set<string>();
  private next = 1;

  take(key: string, verb: string): void {
    this.calls.push(`${verb}:${key}`);
    const queue = this.failures.get(`${verb}:${key}`);
    const error = queue?.shift();
    if (error) throw error;
  }

  newId(): string {
    return `fake-${this.next++}`;
  }
}

export function awsError(name: string, fault: 'client' | 'server' = 'client'): Error {
  return Object.assign(new Error(`${name} (fake)`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: fault === 'server' ? 500 : 400 },
  });
}

export function fakeResource(
  cloud: FakeCloud,
  key: string,
  dependsOn: string[] = [],
  options: {
    tier?: 'lambda' | 'fargate';
    readyOnCreate?: boolean;
    waiters?: Waiters;
    /** The kind's dependencyStrength (absent: every dependency 'ready'). */
    strength?: (dependency: string, intent: Intent) => DependencyStrength;
    readySoonAfterCreate?: boolean;
  } = {},
): ManagedResource {
  const observed = (r: FakeResource): ObservedResource => ({
    key,
    type: `Fake::${key}`,
    id: r.id,
    tags: {},
    attributes: { size: r.size },
    ready: r.ready,
    notReadyReason: r.ready ? undefined : `${key} provisioning`,
    state: r.state,
    foreign: r.foreign,
  });
  return {
    key,
    type: `Fake::${key}`,
    service: 'ec2',
    tier: options.tier ?? 'fargate',
    dependsOn,
    errors: { notFound: ['FakeNotFound'], retryable: ['FakeBusy'], terminal: ['FakeInvalid'] },
    immutable: [],
    ...(options.waiters ? { waiters: options.waiters } : {}),
    ...(options.strength ? { dependencyStrength: options.strength } : {}),
    ...(options.readySoonAfterCreate ? { readySoonAfterCreate: true as const } : {}),
    neededBy: () => true,
    desiredAttributes: (spec: DesiredState) => ({ size: spec.fargate.minTasks }),
    async find() {
      cloud.take(key, 'find');
      const r = cloud.resources.get(key);
      if (r && cloud.readyWhenFound.has(key)) r.ready = true;
      return r ? observed(r) : undefined;
    },
    async create(ctx) {
      cloud.take(key, 'create');
      for (const dep of dependsOn) {
        // A dependency that only orders must have had its step, not be ready.
        const needsReady = (options.strength?.(dep, ctx.intent) ?? 'ready') === 'ready';
        if (needsReady && !ctx.refs[dep]?.ready) throw new Error(`${key} created before ${dep} was ready`);
      }
      const r = { id: cloud.newId(), size: ctx.spec.fargate.minTasks, ready: options.readyOnCreate ?? true };
      cloud.resources.set(key, r);
      return observed(r);
    },
    async update(ctx, current) {
      cloud.take(key, 'update');
      const r = cloud.resources.get(key)!;
      r.size = ctx.spec.fargate.minTasks;
      return observed({ ...r, id: current.id });
    },
    async delete() {
      cloud.take(key, 'delete');
      if (!cloud.resources.has(key)) throw awsError('FakeNotFound');
      cloud.resources.delete(key);
    },
  };
}

export const noClients = {} as AwsClients;

export function testSpec(overrides: Partial<DesiredState> = {}): DesiredState {
  return {
    stack: 'orders-api',
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2',
    mode: 'fargate',
    port: 8080,
    healthCheckPath: '/health',
    environment: {},
    lambda: { memoryMb: 512, timeoutSeconds: 29 },
    fargate: { cpu: 256, memoryMb: 512, minTasks: 1, maxTasks: 10, targetRequestsPerTask: 100 },
    thresholds: {
      scaleUp: { requestsPerSecond: 20, forMinutes: 3, lambdaConcurrencyPercent: 80 },
      scaleDown: { requestsPerSecond: 5, forMinutes: 15 },
      cooldownMinutes: 10,
    },
    network: { cidr: '10.42.0.0/16' },
    traffic: { shiftSteps: [10, 50, 100], stepSeconds: 60 },
    ...overrides,
  };
}
