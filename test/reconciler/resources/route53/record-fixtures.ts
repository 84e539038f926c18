/**
 * The record kinds' tests' world: a mocked Route 53 client (each test file resets it before each test), the
 * stack's API, custom domain and ALB as the kinds find them, and record sets as Route 53 holds them.
 */
import {
  ChangeResourceRecordSetsCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { dnsRecordResource } from '../../../../reconciler/resources/route53/dns-record';
import { NOW, observed, testSpec } from '../fixtures';
import { withIntent } from '../../../../reconciler/resources/intent';

export const route53 = mockClient(Route53Client);

export const ZONE = 'Z0123456789ABCDEFGHIJ';
export const NAME = 'api.example.com.';
export const CUSTOM_TARGET = 'd-abc123defg.execute-api.us-east-1.amazonaws.com';
export const ALB_DNS = 'lf-orders-api-alb-123456789.us-east-1.elb.amazonaws.com';

export const API = observed(
  'http-api',
  'AWS::ApiGatewayV2::Api',
  'abcde12345',
  {},
  {
    extra: {
      apiId: 'abcde12345',
      apiEndpoint: 'https://abcde12345.execute-api.us-east-1.amazonaws.com',
      regionalDomainName: 'abcde12345.execute-api.us-east-1.amazonaws.com',
    },
  },
);
export const DOMAIN = observed(
  'api-domain',
  'AWS::ApiGatewayV2::DomainName',
  'api.example.com',
  {},
  {
    extra: {
      domainName: 'api.example.com',
      apiGatewayDomainName: CUSTOM_TARGET,
      hostedZoneId: 'Z1UJRXOUMOOFQ8',
    },
  },
);
export const ALB = observed(
  'alb',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'arn:alb',
  {},
  {
    extra: {
      dnsName: ALB_DNS,
      canonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
      arnSuffix: 'app/lf-orders-api-alb/50dc6c495c0c9188',
    },
  },
);
export const lambdaRefs = { 'http-api': API, 'api-domain': DOMAIN };
// Validation refuses dns without a certificate; the kind still copes with a spec built by hand.
export const noCertificate = () =>
  testSpec({ dns: { ...testSpec().dns!, certificateArn: undefined as unknown as string } });

export const lambdaRecord = dnsRecordResource('lambda');
export const fargateRecord = dnsRecordResource('fargate');

export function lambdaSet(weight: number, target = `${CUSTOM_TARGET}.`): ResourceRecordSet {
  return {
    Name: NAME,
    Type: 'A',
    SetIdentifier: 'lambda',
    Weight: weight,
    AliasTarget: { DNSName: target, HostedZoneId: 'Z1UJRXOUMOOFQ8', EvaluateTargetHealth: false },
  };
}
export const TXT_NAME = 'lambdaflex-a.api.example.com.';
export const ownerTxt = (stack: string): ResourceRecordSet => ({
  Name: TXT_NAME,
  Type: 'TXT',
  TTL: 300,
  ResourceRecords: [{ Value: `"heritage=lambdaflex,lambdaflex/region=us-east-1,lambdaflex/stack=${stack}"` }],
});
/** The ownership TXT of the test spec's stack, orders-api in us-east-1. */
export const OURS = ownerTxt('orders-api');
export const page = (...sets: ResourceRecordSet[]) => ({
  ResourceRecordSets: sets,
  IsTruncated: false,
  MaxItems: 300,
});
/** The pass's intent when the stack remembers writing at the spec's name. */
export const remembered = withIntent({
  dnsNames: [{ hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com.' }],
});

/** Route 53's answer about a change: its id and status, submitted at NOW. */
export const changeInfo = (id: string, status: 'PENDING' | 'INSYNC' = 'PENDING') => ({
  ChangeInfo: { Id: `/change/${id}`, Status: status, SubmittedAt: new Date(NOW) },
});

/** Route 53 got one change batch, for the zone: `changes`, in that order. */
export function expectOneBatch(changes: unknown[]): void {
  expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 1);
  expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
    HostedZoneId: ZONE,
    ChangeBatch: expect.objectContaining({ Changes: changes }),
  });
}

export const fargateSet = (weight: number, target = `${ALB_DNS}.`): ResourceRecordSet => ({
  Name: NAME,
  Type: 'A',
  SetIdentifier: 'fargate',
  Weight: weight,
  AliasTarget: { DNSName: target, HostedZoneId: 'Z35SXDOTRQ7X7K', EvaluateTargetHealth: false },
});
