/**
 * The ALB's listeners. Without a certificate: HTTP:80 forwarding to the target group. With
 * `dns.certificateArn`: HTTPS:443 forwarding, and HTTP:80 answering with a permanent redirect to HTTPS.
 * A load balancer has one listener per port, so the finder picks ours by port and checks its tags.
 */
import {
  CreateListenerCommand,
  DeleteListenerCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
  type Action,
  type CreateListenerCommandInput,
  type Listener,
  type ProtocolEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isOwnedBy, ownershipTags, type DesiredState } from '../../../spec';
import { requireArn } from '../common/dependency-refs';
import { elbv2TagRecord, elbv2Tags } from './support';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { Intent } from '../intent';
import type { ObservedResource, ObservedResources, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

export type ListenerVariant = 'http' | 'https';

const TYPE = 'AWS::ElasticLoadBalancingV2::Listener';
const PORTS: Record<ListenerVariant, number> = { http: 80, https: 443 };
/** Named explicitly so that AWS's default, which changes over the years, never shows up as drift. */
export const HTTPS_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** A listener's default action, normalised: the two shapes LambdaFlex uses. */
type DefaultAction =
  | { type: 'forward'; targetGroupArn: string | undefined }
  | {
      type: 'redirect';
      protocol: string | undefined;
      port: string | undefined;
      statusCode: string | undefined;
    };

/** Whether the spec wants this listener: HTTP always (it forwards, or redirects to HTTPS), HTTPS with a certificate. */
function listenerWanted(variant: ListenerVariant, spec: DesiredState): boolean {
  return variant === 'http' || !!spec.dns?.certificateArn;
}

/**
 * The ports of the listeners the spec wants, ascending: what the load balancer's security group opens.
 *
 * @example
 * listenerPorts(specWithoutCertificate); // [80]
 * listenerPorts(specWithCertificate); // [80, 443]
 */
export function listenerPorts(spec: DesiredState): number[] {
  return (['http', 'https'] as const).filter((v) => listenerWanted(v, spec)).map((v) => PORTS[v]);
}

/**
 * The ports the load balancer's security group opens: the listeners the spec wants, and the HTTPS
 * listener kept while a name the spec dropped still sends lookups to the ALB (`Intent.oldNameDrains`):
 * closed before it goes, the port would refuse those clients all the same.
 */
export function servedPorts(spec: DesiredState, refs: ObservedResources, intent: Intent): number[] {
  const kept = refs[RESOURCE_KEYS.listenerHttps];
  const keptHttps = intent.oldNameDrains === true && kept !== undefined && !kept.foreign;
  const ports = listenerPorts(spec);
  return keptHttps && !ports.includes(PORTS.https) ? [...ports, PORTS.https] : ports;
}

function redirectsToHttps(variant: ListenerVariant, spec: DesiredState): boolean {
  return variant === 'http' && !!spec.dns?.certificateArn;
}

function desiredAction(
  variant: ListenerVariant,
  spec: DesiredState,
  targetGroupArn: string | undefined,
): DefaultAction {
  if (redirectsToHttps(variant, spec)) {
    return { type: 'redirect', protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' };
  }
  return { type: 'forward', targetGroupArn };
}

function toSdkAction(action: DefaultAction): Action {
  if (action.type === 'redirect') {
    return {
      Type: 'redirect',
      RedirectConfig: {
        Protocol: action.protocol,
        Port: action.port,
        StatusCode: action.statusCode as 'HTTP_301',
      },
    };
  }
  return { Type: 'forward', TargetGroupArn: action.targetGroupArn };
}

function fromSdkAction(action: Action | undefined): DefaultAction | undefined {
  if (!action) return undefined;
  if (action.Type === 'redirect') {
    const redirect = action.RedirectConfig;
    return {
      type: 'redirect',
      protocol: redirect?.Protocol,
      port: redirect?.Port,
      statusCode: redirect?.StatusCode,
    };
  }
  if (action.Type === 'forward') {
    // AWS reports a simple forward both as TargetGroupArn and as a one-group ForwardConfig.
    const arn = action.TargetGroupArn ?? action.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn;
    return { type: 'forward', targetGroupArn: arn };
  }
  return undefined;
}

function desiredAttributes(variant: ListenerVariant, spec: DesiredState, targetGroupArn: string | undefined) {
  const https = variant === 'https';
  return {
    port: PORTS[variant],
    protocol: (https ? 'HTTPS' : 'HTTP') as ProtocolEnum,
    certificateArn: https ? spec.dns?.certificateArn : undefined,
    sslPolicy: https ? HTTPS_SSL_POLICY : undefined,
    defaultAction: desiredAction(variant, spec, targetGroupArn),
  };
}

/** The listener's settings as CreateListener and ModifyListener take them. */
function listenerInput(
  variant: ListenerVariant,
  ctx: ResourceContext,
  key: string,
): Pick<CreateListenerCommandInput, 'Port' | 'Protocol' | 'Certificates' | 'SslPolicy' | 'DefaultActions'> {
  const targetGroupArn = redirectsToHttps(variant, ctx.spec)
    ? undefined
    : requireArn(ctx.refs, RESOURCE_KEYS.targetGroup, key);
  const wanted = desiredAttributes(variant, ctx.spec, targetGroupArn);
  return {
    Port: wanted.port,
    Protocol: wanted.protocol,
    Certificates: wanted.certificateArn ? [{ CertificateArn: wanted.certificateArn }] : undefined,
    SslPolicy: wanted.sslPolicy,
    DefaultActions: [toSdkAction(wanted.defaultAction)],
  };
}

function observe(
  key: string,
  listener: Listener,
  tags: Record<string, string>,
  stack: string,
): ObservedResource {
  const arn = listener.ListenerArn!;
  return {
    key,
    type: TYPE,
    id: arn,
    arn,
    tags,
    attributes: {
      port: listener.Port,
      protocol: listener.Protocol,
      certificateArn: listener.Certificates?.[0]?.CertificateArn,
      sslPolicy: listener.SslPolicy,
      defaultAction: fromSdkAction(listener.DefaultActions?.[0]),
    },
    ready: true,
    foreign: !isOwnedBy(tags, stack),
  };
}

/**
 * The listener kind for one port.
 *
 * @example
 * listenerResource('https').neededBy(spec); // true only when spec.dns.certificateArn is set
 */
export function listenerResource(variant: ListenerVariant): StackResource {
  const key = variant === 'http' ? RESOURCE_KEYS.listenerHttp : RESOURCE_KEYS.listenerHttps;

  const kind: StackResource = {
    key,
    type: TYPE,
    service: 'elbv2',
    steadyCheck: 'tagged',
    // CreateListener answers with the listener as DescribeListeners shows it, tagged as the create asked.
    createAnswersInFull: true,
    tier: 'fargate',
    dependsOn: [RESOURCE_KEYS.loadBalancer, RESOURCE_KEYS.targetGroup],
    // DeleteTargetGroup answers ResourceInUse while a listener forwards to the group.
    holds: { [RESOURCE_KEYS.targetGroup]: 'defaultAction.targetGroupArn' },
    errors: {
      // The load balancer gone means its listeners are gone too.
      notFound: ['ListenerNotFound', 'LoadBalancerNotFound'],
      // A target group created seconds ago; a listener created by a pass that died before recording it.
      retryable: ['TargetGroupNotFound', 'DuplicateListener'],
      terminal: [
        'CertificateNotFound',
        'SSLPolicyNotFound',
        'IncompatibleProtocols',
        'InvalidConfigurationRequest',
        'TooManyListeners',
        'TooManyCertificates',
        'TooManyTags',
        'TargetGroupAssociationLimit',
        'UnsupportedProtocol',
        'ValidationError',
        'AccessDenied',
      ],
    },

    neededBy: (spec) => listenerWanted(variant, spec),

    desiredAttributes: (spec, refs) => desiredAttributes(variant, spec, refs[RESOURCE_KEYS.targetGroup]?.arn),

    async find(ctx) {
      const loadBalancerArn = ctx.refs[RESOURCE_KEYS.loadBalancer]?.arn;
      // No load balancer, no listener: DeleteLoadBalancer removes them with it.
      if (!loadBalancerArn) return undefined;
      const answer = await orUndefinedIfGone(
        () => ctx.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn })),
        kind.errors,
      );
      const listener = answer?.Listeners?.find((candidate) => candidate.Port === PORTS[variant]);
      if (!listener?.ListenerArn) return undefined;
      const tags = await elbv2TagRecord(ctx.clients.elbv2, listener.ListenerArn);
      return observe(key, listener, tags, ctx.spec.stack);
    },

    async create(ctx) {
      const answer = await ctx.clients.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: requireArn(ctx.refs, RESOURCE_KEYS.loadBalancer, key),
          ...listenerInput(variant, ctx, key),
          Tags: elbv2Tags(ctx.spec.stack, key),
        }),
      );
      const listener = answer.Listeners?.[0];
      if (!listener?.ListenerArn) throw new Error(`CreateListener returned no listener for ${key}`);
      return observe(key, listener, { ...ownershipTags(ctx.spec.stack, key) }, ctx.spec.stack);
    },

    async update(ctx, current) {
      assertOwned(current, 'updating');
      const answer = await ctx.clients.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: current.arn ?? current.id,
          ...listenerInput(variant, ctx, key),
        }),
      );
      const listener = answer.Listeners?.[0];
      return listener?.ListenerArn ? observe(key, listener, current.tags, ctx.spec.stack) : current;
    },

    async delete(ctx, current) {
      assertOwned(current, 'deleting');
      await deleteIgnoringGone(
        () => ctx.clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: current.arn ?? current.id })),
        kind.errors,
      );
    },
  };
  return kind;
}
