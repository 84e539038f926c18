/**
 * Target groups: CreateTargetGroup (idempotent by name with identical settings), DescribeTargetGroups,
 * ModifyTargetGroup, attributes, and DeleteTargetGroup (`ResourceInUse` while a listener forwards to it).
 */
import type { OperationInput } from '../common/input';
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import { vpcExists } from '../common/network-interfaces';
import {
  listenersForwardingTo,
  loadBalancerOrFail,
  loadBalancersOfTargetGroup,
  targetGroupOrFail,
} from './lookup';
import { invalidNameReason } from './names';
import { describeTargetGroup } from './shapes';
import type { Elbv2State, HealthCheckSettings, TargetGroupRecord } from './state';
import { tagsFromInput } from './tags';

type Ctx = OperationContext<Elbv2State>;

const DEFAULT_ATTRIBUTES: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'load_balancing.algorithm.type': 'round_robin',
  'slow_start.duration_seconds': '0',
};

const TARGET_TYPES = ['ip', 'instance', 'lambda', 'alb'];

/** Health check settings from the input over a base (the defaults, or the group's current ones). */
function healthCheckFrom(input: OperationInput, base: HealthCheckSettings, ctx: Ctx): HealthCheckSettings {
  const check: HealthCheckSettings = {
    protocol: input.HealthCheckProtocol ?? base.protocol,
    port: input.HealthCheckPort ?? base.port,
    path: input.HealthCheckPath ?? base.path,
    intervalSeconds: input.HealthCheckIntervalSeconds ?? base.intervalSeconds,
    timeoutSeconds: input.HealthCheckTimeoutSeconds ?? base.timeoutSeconds,
    healthyThresholdCount: input.HealthyThresholdCount ?? base.healthyThresholdCount,
    unhealthyThresholdCount: input.UnhealthyThresholdCount ?? base.unhealthyThresholdCount,
    matcher: input.Matcher?.HttpCode ?? base.matcher,
    enabled: input.HealthCheckEnabled ?? base.enabled,
  };
  // Ranges from the CreateTargetGroup API reference.
  const inRange = (value: number, min: number, max: number, what: string) => {
    if (!(value >= min && value <= max))
      ctx.fail('ValidationError', `${what} must be between ${min} and ${max}`);
  };
  inRange(check.intervalSeconds, 5, 300, 'Health check interval');
  inRange(check.timeoutSeconds, 2, 120, 'Health check timeout');
  inRange(check.healthyThresholdCount, 2, 10, 'Healthy threshold count');
  inRange(check.unhealthyThresholdCount, 2, 10, 'Unhealthy threshold count');
  if (check.timeoutSeconds >= check.intervalSeconds) {
    ctx.fail('ValidationError', 'Health check timeout must be smaller than the interval');
  }
  if (!check.path.startsWith('/')) ctx.fail('ValidationError', "Health check path must begin with a '/'");
  return check;
}

function defaultHealthCheck(protocol: string): HealthCheckSettings {
  return {
    protocol,
    port: 'traffic-port',
    path: '/',
    intervalSeconds: 30,
    timeoutSeconds: 5,
    healthyThresholdCount: 5,
    unhealthyThresholdCount: 2,
    matcher: '200',
    enabled: true,
  };
}

function sameSettings(a: TargetGroupRecord, b: TargetGroupRecord): boolean {
  return (
    a.targetType === b.targetType &&
    a.protocol === b.protocol &&
    a.protocolVersion === b.protocolVersion &&
    a.port === b.port &&
    a.vpcId === b.vpcId &&
    JSON.stringify(a.healthCheck) === JSON.stringify(b.healthCheck)
  );
}

function createTargetGroup(input: OperationInput, ctx: Ctx) {
  const name = String(input.Name);
  const badName = invalidNameReason('Target group', name);
  if (badName) ctx.fail('ValidationError', badName);
  const targetType = input.TargetType ?? 'instance';
  if (!TARGET_TYPES.includes(targetType))
    ctx.fail('ValidationError', `Target type '${targetType}' is not valid`);
  if (targetType !== 'lambda') {
    for (const member of ['Protocol', 'Port', 'VpcId']) {
      if (input[member] === undefined) {
        ctx.fail('ValidationError', `A ${member} must be specified for target type '${targetType}'`);
      }
    }
    if (!vpcExists(ctx.account, input.VpcId))
      ctx.fail('ValidationError', `The VPC ID '${input.VpcId}' is not found`);
  }
  const protocol = input.Protocol ?? 'HTTP';
  const tags = tagsFromInput(input.Tags, ctx);
  const id = ctx.account.newId('', 16);
  const record: TargetGroupRecord = {
    arn: ctx.account.arn('elasticloadbalancing', `targetgroup/${name}/${id}`),
    name,
    targetType,
    protocol,
    protocolVersion: input.ProtocolVersion ?? 'HTTP1',
    port: input.Port ?? 0,
    vpcId: input.VpcId ?? '',
    ipAddressType: input.IpAddressType ?? 'ipv4',
    healthCheck: healthCheckFrom(input, defaultHealthCheck(protocol), ctx),
    attributes: { ...DEFAULT_ATTRIBUTES },
    targets: [],
    createdAt: ctx.now,
    tags,
  };
  const existing = Object.values(ctx.state.targetGroups).find((group) => group.name === name);
  if (existing) {
    // CreateTargetGroup API reference: same name and settings → the call succeeds with the existing group.
    if (!sameSettings(existing, record)) {
      ctx.fail(
        'DuplicateTargetGroupName',
        `A target group with the same name '${name}' exists, but with different settings`,
      );
    }
    return { TargetGroups: [describeTargetGroup(existing, ctx.state)] };
  }
  ctx.state.targetGroups[record.arn] = record;
  return { TargetGroups: [describeTargetGroup(record, ctx.state)] };
}

/**
 * DescribeTargetGroups does not show a target group made a moment ago: CreateTargetGroup "can return
 * before a DescribeTargetGroups by the new ARN finds it" (terraform-provider-aws waits up to 5 minutes
 * for it after each create, `elbv2PropagationTimeout`). The simulator hides one younger than the
 * account's consistency delay (the model EC2's reads follow; AWS gives no figure) from every form of the
 * call; the calls that change it or name it (a listener's forward, RegisterTargets) find it, as EC2's
 * mutating calls do.
 */
function describeTargetGroups(input: OperationInput, ctx: Ctx) {
  let selected = Object.values(ctx.state.targetGroups).filter((group) =>
    ctx.account.isVisible(group.createdAt),
  );
  const arns = input.TargetGroupArns as string[] | undefined;
  const names = input.Names as string[] | undefined;
  if (input.LoadBalancerArn) {
    loadBalancerOrFail(ctx, input.LoadBalancerArn);
    selected = selected.filter((group) =>
      loadBalancersOfTargetGroup(ctx.state, group.arn).includes(input.LoadBalancerArn),
    );
  }
  if (arns?.length) {
    const shown = (arn: string) => {
      const group = ctx.state.targetGroups[arn];
      return group !== undefined && ctx.account.isVisible(group.createdAt);
    };
    if (arns.some((arn) => !shown(arn)))
      ctx.fail('TargetGroupNotFound', 'One or more target groups not found');
    selected = selected.filter((group) => arns.includes(group.arn));
  }
  if (names?.length) {
    const missing = names.filter((name) => !selected.some((group) => group.name === name));
    if (missing.length) ctx.fail('TargetGroupNotFound', `Target groups '[${missing.join(', ')}]' not found`);
    selected = selected.filter((group) => names.includes(group.name));
  }
  const page = paginate(selected, input.Marker, input.PageSize, 400);
  return {
    TargetGroups: page.items.map((group) => describeTargetGroup(group, ctx.state)),
    NextMarker: page.nextToken,
  };
}

function deleteTargetGroup(input: OperationInput, ctx: Ctx) {
  const record = ctx.state.targetGroups[input.TargetGroupArn];
  if (!record) return;
  if (listenersForwardingTo(ctx.state, record.arn).length > 0) {
    ctx.fail('ResourceInUse', `Target group '${record.arn}' is currently in use by a listener or a rule`);
  }
  delete ctx.state.targetGroups[record.arn];
}

function attributeList(attributes: Record<string, string>) {
  return Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }));
}

function modifyAttributes(input: OperationInput, ctx: Ctx) {
  const record = targetGroupOrFail(ctx, input.TargetGroupArn);
  for (const { Key, Value } of input.Attributes as { Key?: string; Value?: string }[]) {
    if (!Key || !(Key in DEFAULT_ATTRIBUTES)) {
      ctx.fail('ValidationError', `Target group attribute key '${Key}' is not recognized`);
    }
    if (Key === 'deregistration_delay.timeout_seconds') {
      const seconds = Number(Value);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
        ctx.fail('ValidationError', `'${Value}' must be an integer between 0 and 3600 for ${Key}`);
      }
    }
    record.attributes[Key] = Value ?? '';
  }
  return { Attributes: attributeList(record.attributes) };
}

export const targetGroupOperations: Record<string, Operation<Elbv2State>> = {
  CreateTargetGroup: { mutating: true, required: ['Name'], handle: createTargetGroup },
  DescribeTargetGroups: { mutating: false, handle: describeTargetGroups },
  DeleteTargetGroup: { mutating: true, required: ['TargetGroupArn'], handle: deleteTargetGroup },
  ModifyTargetGroup: {
    mutating: true,
    required: ['TargetGroupArn'],
    handle: (input, ctx) => {
      const record = targetGroupOrFail(ctx, input.TargetGroupArn);
      record.healthCheck = healthCheckFrom(input, record.healthCheck, ctx);
      return { TargetGroups: [describeTargetGroup(record, ctx.state)] };
    },
  },
  DescribeTargetGroupAttributes: {
    mutating: false,
    required: ['TargetGroupArn'],
    handle: (input, ctx) => ({
      Attributes: attributeList(targetGroupOrFail(ctx, input.TargetGroupArn).attributes),
    }),
  },
  ModifyTargetGroupAttributes: {
    mutating: true,
    required: ['TargetGroupArn', 'Attributes'],
    handle: modifyAttributes,
  },
};
