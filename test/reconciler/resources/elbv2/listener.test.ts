import {
  CreateListenerCommand,
  DeleteListenerCommand,
  DescribeListenersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import { HTTPS_SSL_POLICY, listenerResource } from '../../../../reconciler/resources/elbv2/listener';
import { awsError, testContext, testSpec } from '../fixtures';
import { ALB_ARN, FOREIGN_TAG_LIST, OWN_TAG_LIST, TG_ARN, fargateRefs } from '../fargate-refs';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const elbv2 = mockClient(ElasticLoadBalancingV2Client);
beforeEach(() => elbv2.reset());

const CERT = testSpec().dns!.certificateArn!;
const HTTP_ARN = `${ALB_ARN.replace(':loadbalancer/', ':listener/')}/1111`;
const HTTPS_ARN = `${ALB_ARN.replace(':loadbalancer/', ':listener/')}/2222`;
// Validation refuses dns without a certificate: a spec without one has no dns at all.
const withoutCertificate = () => testSpec({ dns: undefined });

const forward = {
  Type: 'forward' as const,
  TargetGroupArn: TG_ARN,
  ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG_ARN, Weight: 1 }] },
};
const redirect = {
  Type: 'redirect' as const,
  RedirectConfig: {
    Protocol: 'HTTPS',
    Port: '443',
    Host: '#{host}',
    Path: '/#{path}',
    Query: '#{query}',
    StatusCode: 'HTTP_301' as const,
  },
};

function answerFind(listeners: Listener[], tags = OWN_TAG_LIST('listener-http')): void {
  elbv2.on(DescribeListenersCommand).resolves({ Listeners: listeners });
  elbv2.on(DescribeTagsCommand).callsFake((input: { ResourceArns: string[] }) => ({
    TagDescriptions: [{ ResourceArn: input.ResourceArns[0], Tags: tags }],
  }));
}

describe('listenerResource', () => {
  describe('wanted', () => {
    it('wants HTTP always, HTTPS only with a certificate', () => {
      expect(listenerResource('http').neededBy(withoutCertificate())).toBe(true);
      expect(listenerResource('https').neededBy(withoutCertificate())).toBe(false);
      expect(listenerResource('https').neededBy(testSpec())).toBe(true);
    });

    it('is keyed listener-http / listener-https and depends on the ALB and target group', () => {
      expect(listenerResource('http').key).toBe('listener-http');
      expect(listenerResource('https').key).toBe('listener-https');
      expect(listenerResource('https').dependsOn).toEqual(['alb', 'tg']);
    });
  });

  describe('create', () => {
    it('without a certificate: HTTP:80 forwarding to the target group, tagged', async () => {
      elbv2
        .on(CreateListenerCommand)
        .resolves({ Listeners: [{ ListenerArn: HTTP_ARN, Port: 80, Protocol: 'HTTP' }] });
      await listenerResource('http').create(testContext({ spec: withoutCertificate(), refs: fargateRefs() }));
      expect(elbv2).toHaveReceivedCommandWith(CreateListenerCommand, {
        LoadBalancerArn: ALB_ARN,
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
        Tags: OWN_TAG_LIST('listener-http'),
      });
    });

    it('with a certificate: HTTP:80 redirects to HTTPS with a 301', async () => {
      elbv2
        .on(CreateListenerCommand)
        .resolves({ Listeners: [{ ListenerArn: HTTP_ARN, Port: 80, Protocol: 'HTTP' }] });
      await listenerResource('http').create(testContext({ refs: fargateRefs() }));
      expect(elbv2).toHaveReceivedCommandWith(CreateListenerCommand, {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      });
    });

    it('with a certificate: HTTPS:443 forwarding, with the certificate and a named TLS policy', async () => {
      elbv2
        .on(CreateListenerCommand)
        .resolves({ Listeners: [{ ListenerArn: HTTPS_ARN, Port: 443, Protocol: 'HTTPS' }] });
      await listenerResource('https').create(testContext({ refs: fargateRefs() }));
      expect(elbv2).toHaveReceivedCommandWith(CreateListenerCommand, {
        LoadBalancerArn: ALB_ARN,
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: CERT }],
        SslPolicy: HTTPS_SSL_POLICY,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
        Tags: OWN_TAG_LIST('listener-https'),
      });
    });
  });

  describe('find', () => {
    it('picks the listener on its port of the ALB; AWS defaults cause no drift', async () => {
      answerFind([
        {
          ListenerArn: HTTPS_ARN,
          Port: 443,
          Protocol: 'HTTPS',
          Certificates: [{ CertificateArn: CERT }],
          SslPolicy: HTTPS_SSL_POLICY,
          DefaultActions: [forward],
        },
        { ListenerArn: HTTP_ARN, Port: 80, Protocol: 'HTTP', DefaultActions: [redirect] },
      ]);
      const ctx = testContext({ refs: fargateRefs() });
      const http = await listenerResource('http').find(ctx);
      const https = await listenerResource('https').find(ctx);
      expect(elbv2).toHaveReceivedCommandWith(DescribeListenersCommand, { LoadBalancerArn: ALB_ARN });
      expect(http?.id).toBe(HTTP_ARN);
      expect(https?.id).toBe(HTTPS_ARN);
      expect(
        diffAttributes(
          listenerResource('http').desiredAttributes(testSpec(), fargateRefs(), DEFAULT_INTENT),
          http!.attributes,
        ),
      ).toEqual([]);
      expect(
        diffAttributes(
          listenerResource('https').desiredAttributes(testSpec(), fargateRefs(), DEFAULT_INTENT),
          https!.attributes,
        ),
      ).toEqual([]);
    });

    it('answers undefined without an ALB, without a listener on the port, and on LoadBalancerNotFound', async () => {
      await expect(listenerResource('http').find(testContext())).resolves.toBeUndefined();
      answerFind([{ ListenerArn: HTTP_ARN, Port: 80, Protocol: 'HTTP', DefaultActions: [forward] }]);
      await expect(
        listenerResource('https').find(testContext({ refs: fargateRefs() })),
      ).resolves.toBeUndefined();
      elbv2.on(DescribeListenersCommand).rejects(awsError('LoadBalancerNotFoundException'));
      await expect(
        listenerResource('http').find(testContext({ refs: fargateRefs() })),
      ).resolves.toBeUndefined();
    });

    it('reports a listener without our tags as foreign', async () => {
      answerFind(
        [{ ListenerArn: HTTP_ARN, Port: 80, Protocol: 'HTTP', DefaultActions: [forward] }],
        FOREIGN_TAG_LIST,
      );
      await expect(
        listenerResource('http').find(testContext({ refs: fargateRefs() })),
      ).resolves.toMatchObject({
        foreign: true,
      });
    });

    it('sees a forward that should now be a redirect (a certificate was added) as drift', async () => {
      answerFind([{ ListenerArn: HTTP_ARN, Port: 80, Protocol: 'HTTP', DefaultActions: [forward] }]);
      const found = await listenerResource('http').find(testContext({ refs: fargateRefs() }));
      const changes = diffAttributes(
        listenerResource('http').desiredAttributes(testSpec(), fargateRefs(), DEFAULT_INTENT),
        found!.attributes,
      );
      expect(changes.map((c) => c.path)).toContain('defaultAction.type');
    });
  });

  describe('update and delete', () => {
    it('modifies the listener to the wanted action', async () => {
      answerFind([{ ListenerArn: HTTP_ARN, Port: 80, Protocol: 'HTTP', DefaultActions: [forward] }]);
      const ctx = testContext({ refs: fargateRefs() });
      const current = (await listenerResource('http').find(ctx))!;
      elbv2.on(ModifyListenerCommand).resolves({
        Listeners: [{ ListenerArn: HTTP_ARN, Port: 80, Protocol: 'HTTP', DefaultActions: [redirect] }],
      });
      const updated = await listenerResource('http').update!(ctx, current, []);
      expect(elbv2).toHaveReceivedCommandWith(ModifyListenerCommand, {
        ListenerArn: HTTP_ARN,
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      });
      expect(updated.attributes.defaultAction).toMatchObject({ type: 'redirect' });
    });

    it('deletes by ARN; ListenerNotFound is done', async () => {
      answerFind([{ ListenerArn: HTTP_ARN, Port: 80, Protocol: 'HTTP', DefaultActions: [forward] }]);
      const ctx = testContext({ refs: fargateRefs() });
      const current = (await listenerResource('http').find(ctx))!;
      elbv2.on(DeleteListenerCommand).rejects(awsError('ListenerNotFoundException'));
      await expect(listenerResource('http').delete(ctx, current)).resolves.toBeUndefined();
      expect(elbv2).toHaveReceivedCommandWith(DeleteListenerCommand, { ListenerArn: HTTP_ARN });
    });
  });

  describe('errors', () => {
    it.each([
      ['ListenerNotFoundException', 'notFound'],
      ['LoadBalancerNotFoundException', 'notFound'],
      ['TargetGroupNotFoundException', 'retryable'],
      ['DuplicateListenerException', 'retryable'],
      ['CertificateNotFoundException', 'terminal'],
      ['TooManyListenersException', 'terminal'],
      ['ValidationError', 'terminal'],
    ])('%s is %s', (code, verdict) => {
      expect(classify(awsError(code), listenerResource('https').errors)).toBe(verdict);
    });
  });
});
