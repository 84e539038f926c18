import {
  ApiGatewayV2Client,
  CreateDomainNameCommand,
  DeleteDomainNameCommand,
  GetDomainNameCommand,
  UpdateDomainNameCommand,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apiDomainResource } from '../../../../reconciler/resources/apigateway/domain';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import { DependencyNotThereError } from '../../../../reconciler/resources/common/dependency-not-there';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const apigw = mockClient(ApiGatewayV2Client);
beforeEach(() => apigw.reset());

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f3c1a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b';
const OWN_TAGS = {
  'lambdaflex:stack': 'orders-api',
  'lambdaflex:component': 'api-domain',
  'lambdaflex:managed-by': 'lambdaflex',
};

function domain(
  tags: Record<string, string> = OWN_TAGS,
  status:
    | 'AVAILABLE'
    | 'UPDATING'
    | 'PENDING_CERTIFICATE_REIMPORT'
    | 'PENDING_OWNERSHIP_VERIFICATION' = 'AVAILABLE',
) {
  return {
    DomainName: 'api.example.com',
    DomainNameConfigurations: [
      {
        ApiGatewayDomainName: 'd-abc123defg.execute-api.us-east-1.amazonaws.com',
        CertificateArn: CERT,
        DomainNameStatus: status,
        EndpointType: 'REGIONAL' as const,
        HostedZoneId: 'Z1UJRXOUMOOFQ8',
        SecurityPolicy: 'TLS_1_2' as const,
      },
    ],
    Tags: tags,
  };
}
const current = () => observed('api-domain', 'AWS::ApiGatewayV2::DomainName', 'api.example.com');

describe('apiDomainResource', () => {
  it('is wanted only with dns (which validation never lets through without a certificate)', () => {
    expect(apiDomainResource.neededBy(testSpec())).toBe(true);
    expect(apiDomainResource.neededBy(testSpec({ dns: undefined }))).toBe(false);
  });

  it('wants a regional domain on the certificate, lower case without the root dot', () => {
    const spec = testSpec({ dns: { ...testSpec().dns!, recordName: 'API.Example.com.' } });
    expect(apiDomainResource.desiredAttributes(spec, {}, DEFAULT_INTENT)).toEqual({
      domainName: 'api.example.com',
      endpointType: 'REGIONAL',
      certificateArn: CERT,
      securityPolicy: 'TLS_1_2',
    });
  });

  describe('find', () => {
    it('returns undefined on NotFoundException', async () => {
      apigw
        .on(GetDomainNameCommand)
        .rejects(awsError('NotFoundException', 'Invalid domain name identifier specified', 404));
      expect(await apiDomainResource.find(testContext())).toBeUndefined();
      expect(apigw).toHaveReceivedCommandWith(GetDomainNameCommand, { DomainName: 'api.example.com' });
    });

    it('reports the alias target in extra', async () => {
      apigw.on(GetDomainNameCommand).resolves(domain());
      const found = await apiDomainResource.find(testContext());
      expect(found).toMatchObject({ id: 'api.example.com', ready: true, foreign: false });
      expect(found?.attributes).toEqual(apiDomainResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT));
      expect(found?.extra).toEqual({
        domainName: 'api.example.com',
        apiGatewayDomainName: 'd-abc123defg.execute-api.us-east-1.amazonaws.com',
        hostedZoneId: 'Z1UJRXOUMOOFQ8',
      });
    });

    it('marks an untagged domain foreign and a pending one not ready', async () => {
      apigw
        .on(GetDomainNameCommand)
        .resolvesOnce(domain({}))
        .resolvesOnce(domain(OWN_TAGS, 'PENDING_CERTIFICATE_REIMPORT'));
      expect((await apiDomainResource.find(testContext()))?.foreign).toBe(true);
      expect((await apiDomainResource.find(testContext()))?.ready).toBe(false);
    });

    it('is ready AVAILABLE or UPDATING, its declared target states, and not while pending', async () => {
      expect(apiDomainResource.waiters).toEqual({
        ready: {
          pending: ['PENDING_CERTIFICATE_REIMPORT', 'PENDING_OWNERSHIP_VERIFICATION'],
          target: ['AVAILABLE', 'UPDATING'],
        },
      });
      apigw
        .on(GetDomainNameCommand)
        .resolvesOnce(domain(OWN_TAGS, 'UPDATING'))
        .resolvesOnce(domain(OWN_TAGS, 'PENDING_OWNERSHIP_VERIFICATION'));
      expect(await apiDomainResource.find(testContext())).toMatchObject({ ready: true, state: 'UPDATING' });
      expect(await apiDomainResource.find(testContext())).toMatchObject({
        ready: false,
        notReadyReason: expect.stringMatching(/^custom domain PENDING_OWNERSHIP_VERIFICATION/),
      });
    });

    it('looks nothing up without dns', async () => {
      expect(
        await apiDomainResource.find(testContext({ spec: testSpec({ dns: undefined }) })),
      ).toBeUndefined();
      expect(apigw).not.toHaveReceivedCommand(GetDomainNameCommand);
    });
  });

  it('creates the regional domain with the certificate and tags', async () => {
    apigw.on(CreateDomainNameCommand).resolves({ ...domain(), Tags: undefined });
    const created = await apiDomainResource.create(testContext());
    expect(apigw).toHaveReceivedCommandWith(CreateDomainNameCommand, {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [
        { CertificateArn: CERT, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
      ],
      Tags: OWN_TAGS,
    });
    expect(created).toMatchObject({ foreign: false, tags: OWN_TAGS });
  });

  it('tags the domain with the create’s nonce when one was journaled', async () => {
    apigw.on(CreateDomainNameCommand).resolves({ ...domain(), Tags: undefined });
    const created = await apiDomainResource.create({ ...testContext(), nonce: 'n-1' });
    expect(apigw).toHaveReceivedCommandWith(CreateDomainNameCommand, {
      Tags: { ...OWN_TAGS, 'lambdaflex:nonce': 'n-1' },
    });
    expect(created.tags['lambdaflex:nonce']).toBe('n-1');
  });

  it('updates the certificate in place', async () => {
    apigw.on(UpdateDomainNameCommand).resolves(domain());
    await apiDomainResource.update!(testContext(), current(), [
      { path: 'certificateArn', from: 'old', to: CERT },
    ]);
    expect(apigw).toHaveReceivedCommandWith(UpdateDomainNameCommand, {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [
        { CertificateArn: CERT, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
      ],
    });
  });

  it('sends no update while the domain is UPDATING: it waits for the change being applied (docs/aws-facts.md)', async () => {
    const updating = { ...current(), state: 'UPDATING' };
    const waited = apiDomainResource.update!(testContext(), updating, [
      { path: 'certificateArn', from: 'old', to: CERT },
    ]);
    await expect(waited).rejects.toBeInstanceOf(DependencyNotThereError);
    await expect(waited).rejects.toMatchObject({
      dependency: 'api-domain',
      message:
        'api-domain api.example.com is UPDATING: API Gateway changes it no further until its last change is applied',
    });
    expect(apigw).not.toHaveReceivedCommand(UpdateDomainNameCommand);
  });

  it('waits, not fails, when UpdateDomainName answers that an update is in progress; another conflict is an error', async () => {
    apigw
      .on(UpdateDomainNameCommand)
      .rejectsOnce(awsError('ConflictException', 'There is already an update in progress', 409))
      .rejectsOnce(awsError('ConflictException', 'something else', 409));
    const update = () =>
      apiDomainResource.update!(testContext(), current(), [
        { path: 'certificateArn', from: 'old', to: CERT },
      ]);
    await expect(update()).rejects.toMatchObject({
      name: 'DependencyNotThere',
      dependency: 'api-domain',
      message:
        'api-domain api.example.com is UPDATING: API Gateway changes it no further until its last change is applied (There is already an update in progress)',
    });
    await expect(update()).rejects.toMatchObject({ name: 'ConflictException', message: 'something else' });
  });

  it('deletes idempotently and refuses a foreign domain', async () => {
    apigw.on(DeleteDomainNameCommand).rejects(awsError('NotFoundException', 'gone', 404));
    await expect(apiDomainResource.delete(testContext(), current())).resolves.toBeUndefined();
    expect(apigw).toHaveReceivedCommandWith(DeleteDomainNameCommand, { DomainName: 'api.example.com' });
    await expect(
      apiDomainResource.delete(testContext(), { ...current(), foreign: true }),
    ).rejects.toBeInstanceOf(ForeignResourceError);
  });
});
