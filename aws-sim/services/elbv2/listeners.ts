/**
 * Listeners: CreateListener (HTTP/HTTPS; HTTPS needs a certificate; forward, redirect and fixed-response
 * default actions; the same port twice → `DuplicateListener` unless the settings are identical),
 * DescribeListeners, ModifyListener, DeleteListener.
 */
import type { OperationInput } from '../common/input';
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import {
  forwardedTargetGroups,
  listenerOrFail,
  listenersChanged,
  listenersOf,
  loadBalancerOrFail,
  loadBalancersOfTargetGroup,
  targetGroupOrFail,
} from './lookup';
import { describeListener } from './shapes';
import type { Elbv2State, ListenerAction, ListenerRecord, LoadBalancerRecord } from './state';
import { tagsFromInput } from './tags';

type Ctx = OperationContext<Elbv2State>;

const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';
const ACTION_TYPES = ['forward', 'redirect', 'fixed-response'];

interface ListenerSettings {
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  certificates: { CertificateArn: string }[];
  sslPolicy?: string;
  defaultActions: ListenerAction[];
}

function checkActions(actions: ListenerAction[], loadBalancer: LoadBalancerRecord, ctx: Ctx): void {
  if (!actions?.length) ctx.fail('ValidationError', 'A default action must be specified');
  for (const action of actions) {
    if (!ACTION_TYPES.includes(action.Type)) {
      ctx.fail('InvalidLoadBalancerAction', `The action type '${action.Type}' is not valid`);
    }
    if (action.Type === 'redirect' && !action.RedirectConfig) {
      ctx.fail('ValidationError', 'A redirect configuration must be specified for redirect actions');
    }
    if (action.Type === 'fixed-response' && !action.FixedResponseConfig) {
      ctx.fail(
        'ValidationError',
        'A fixed response configuration must be specified for fixed-response actions',
      );
    }
  }
  const forwarded = actions.filter((a) => a.Type === 'forward');
  for (const action of forwarded) {
    if (!action.TargetGroupArn && !action.ForwardConfig?.TargetGroups?.length) {
      ctx.fail('ValidationError', 'A target group ARN must be specified for forward actions');
    }
  }
  for (const arn of forwarded.flatMap((action) =>
    forwardedTargetGroups({ defaultActions: [action] } as ListenerRecord),
  )) {
    const group = targetGroupOrFail(ctx, arn);
    if (group.vpcId !== loadBalancer.vpcId) {
      ctx.fail(
        'ValidationError',
        `Target group '${arn}' is in a different VPC than load balancer '${loadBalancer.arn}'`,
      );
    }
    const others = loadBalancersOfTargetGroup(ctx.state, arn).filter((lb) => lb !== loadBalancer.arn);
    if (others.length) {
      ctx.fail(
        'TargetGroupAssociationLimit',
        `The following target groups cannot be associated with more than one load balancer: '${arn}'`,
      );
    }
  }
}

function readSettings(
  input: OperationInput,
  base: ListenerSettings | undefined,
  loadBalancer: LoadBalancerRecord,
  ctx: Ctx,
): ListenerSettings {
  const protocol = input.Protocol ?? base?.protocol;
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
    ctx.fail('UnsupportedProtocol', `Protocol '${protocol}' is not supported by application load balancers`);
  }
  const port = input.Port ?? base?.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    ctx.fail('ValidationError', 'Port must be between 1 and 65535');
  const certificates = (
    (input.Certificates ?? base?.certificates ?? []) as { CertificateArn?: string }[]
  ).map((c) => ({
    CertificateArn: c.CertificateArn ?? '',
  }));
  if (protocol === 'HTTPS' && !certificates.some((c) => c.CertificateArn)) {
    ctx.fail('ValidationError', 'A certificate must be specified for HTTPS listeners');
  }
  const defaultActions = (input.DefaultActions ?? base?.defaultActions) as ListenerAction[];
  checkActions(defaultActions, loadBalancer, ctx);
  return {
    port,
    protocol,
    certificates: protocol === 'HTTPS' ? certificates : [],
    sslPolicy: protocol === 'HTTPS' ? (input.SslPolicy ?? base?.sslPolicy ?? DEFAULT_SSL_POLICY) : undefined,
    defaultActions: structuredClone(defaultActions),
  };
}

function sameSettings(listener: ListenerRecord, settings: ListenerSettings): boolean {
  const { port, protocol, certificates, sslPolicy, defaultActions } = listener;
  return (
    JSON.stringify({ port, protocol, certificates, sslPolicy, defaultActions }) === JSON.stringify(settings)
  );
}

function createListener(input: OperationInput, ctx: Ctx) {
  const loadBalancer = loadBalancerOrFail(ctx, input.LoadBalancerArn);
  const settings = readSettings(input, undefined, loadBalancer, ctx);
  const onPort = listenersOf(ctx.state, loadBalancer.arn).find((l) => l.port === settings.port);
  if (onPort) {
    // CreateListener API reference: creating a listener with the same settings again succeeds.
    if (!sameSettings(onPort, settings))
      ctx.fail('DuplicateListener', 'A listener already exists on this port for this load balancer');
    return { Listeners: [describeListener(onPort)] };
  }
  const tags = tagsFromInput(input.Tags, ctx);
  const [, , lbName, lbId] = loadBalancer.arn.split(':')[5].split('/');
  const record: ListenerRecord = {
    arn: ctx.account.arn(
      'elasticloadbalancing',
      `listener/app/${lbName}/${lbId}/${ctx.account.newId('', 16)}`,
    ),
    loadBalancerArn: loadBalancer.arn,
    ...settings,
    createdAt: ctx.now,
    tags,
  };
  ctx.state.listeners[record.arn] = record;
  listenersChanged(ctx.state);
  return { Listeners: [describeListener(record)] };
}

function describeListeners(input: OperationInput, ctx: Ctx) {
  const arns = input.ListenerArns as string[] | undefined;
  if (!input.LoadBalancerArn && !arns?.length) {
    ctx.fail('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
  }
  let selected: readonly ListenerRecord[];
  if (input.LoadBalancerArn) {
    loadBalancerOrFail(ctx, input.LoadBalancerArn);
    selected = listenersOf(ctx.state, input.LoadBalancerArn);
  } else {
    selected = (arns ?? []).map((arn) => listenerOrFail(ctx, arn));
  }
  const page = paginate(selected, input.Marker, input.PageSize, 400);
  return { Listeners: page.items.map(describeListener), NextMarker: page.nextToken };
}

function modifyListener(input: OperationInput, ctx: Ctx) {
  const listener = listenerOrFail(ctx, input.ListenerArn);
  const loadBalancer = loadBalancerOrFail(ctx, listener.loadBalancerArn);
  const settings = readSettings(input, listener, loadBalancer, ctx);
  const clash = listenersOf(ctx.state, loadBalancer.arn).find(
    (l) => l.port === settings.port && l.arn !== listener.arn,
  );
  if (clash) ctx.fail('DuplicateListener', 'A listener already exists on this port for this load balancer');
  Object.assign(listener, settings);
  listenersChanged(ctx.state);
  return { Listeners: [describeListener(listener)] };
}

export const listenerOperations: Record<string, Operation<Elbv2State>> = {
  CreateListener: { mutating: true, required: ['LoadBalancerArn', 'DefaultActions'], handle: createListener },
  DescribeListeners: { mutating: false, handle: describeListeners },
  ModifyListener: { mutating: true, required: ['ListenerArn'], handle: modifyListener },
  DeleteListener: {
    mutating: true,
    required: ['ListenerArn'],
    handle: (input, ctx) => {
      delete ctx.state.listeners[listenerOrFail(ctx, input.ListenerArn).arn];
      listenersChanged(ctx.state);
    },
  },
};
