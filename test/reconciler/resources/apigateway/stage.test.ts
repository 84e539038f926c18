import {
  ApiGatewayV2Client,
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apiStageResource } from '../../../../reconciler/resources/apigateway/stage';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import { awsError, observed, testContext, testSpec, TEST_API_EXTRA } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const apigw = mockClient(ApiGatewayV2Client);
beforeEach(() => apigw.reset());

const OWN_TAGS = {
  'lambdaflex:stack': 'orders-api',
  'lambdaflex:component': 'api-stage',
  'lambdaflex:managed-by': 'lambdaflex',
};
const API = observed('http-api', 'AWS::ApiGatewayV2::Api', 'abcde12345', {}, { extra: TEST_API_EXTRA });
const refs = { 'http-api': API };
const current = () =>
  observed(
    'api-stage',
    'AWS::ApiGatewayV2::Stage',
    'abcde12345/$default',
    {},
    { extra: { apiId: 'abcde12345' } },
  );

describe('apiStageResource', () => {
  it('wants the auto-deployed $default stage of the API', () => {
    expect(apiStageResource.dependsOn).toEqual(['http-api']);
    expect(apiStageResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)).toEqual({
      stageName: '$default',
      autoDeploy: true,
    });
  });

  describe('find', () => {
    it('returns undefined on NotFoundException', async () => {
      apigw
        .on(GetStageCommand)
        .rejects(awsError('NotFoundException', 'Invalid stage identifier specified', 404));
      expect(await apiStageResource.find(testContext({ refs }))).toBeUndefined();
      expect(apigw).toHaveReceivedCommandWith(GetStageCommand, {
        ApiId: 'abcde12345',
        StageName: '$default',
      });
    });

    it('reports an owned stage', async () => {
      apigw.on(GetStageCommand).resolves({ StageName: '$default', AutoDeploy: true, Tags: OWN_TAGS });
      const found = await apiStageResource.find(testContext({ refs }));
      expect(found).toMatchObject({
        id: 'abcde12345/$default',
        arn: 'arn:aws:apigateway:us-east-1::/apis/abcde12345/stages/$default',
        foreign: false,
        attributes: { stageName: '$default', autoDeploy: true },
      });
    });

    it('marks an untagged stage as foreign', async () => {
      apigw.on(GetStageCommand).resolves({ StageName: '$default', AutoDeploy: false });
      expect((await apiStageResource.find(testContext({ refs })))?.foreign).toBe(true);
    });
  });

  it('creates the stage with auto-deploy and tags', async () => {
    apigw.on(CreateStageCommand).resolves({ StageName: '$default', AutoDeploy: true });
    const created = await apiStageResource.create(testContext({ refs }));
    expect(apigw).toHaveReceivedCommandWith(CreateStageCommand, {
      ApiId: 'abcde12345',
      StageName: '$default',
      AutoDeploy: true,
      Tags: OWN_TAGS,
    });
    expect(created).toMatchObject({ foreign: false, tags: OWN_TAGS });
  });

  it('turns auto-deploy back on', async () => {
    apigw.on(UpdateStageCommand).resolves({ StageName: '$default', AutoDeploy: true });
    await apiStageResource.update!(testContext({ refs }), current(), [
      { path: 'autoDeploy', from: false, to: true },
    ]);
    expect(apigw).toHaveReceivedCommandWith(UpdateStageCommand, {
      ApiId: 'abcde12345',
      StageName: '$default',
      AutoDeploy: true,
    });
  });

  it('deletes idempotently and refuses a foreign stage', async () => {
    apigw.on(DeleteStageCommand).rejects(awsError('NotFoundException', 'gone', 404));
    await expect(apiStageResource.delete(testContext(), current())).resolves.toBeUndefined();
    expect(apigw).toHaveReceivedCommandWith(DeleteStageCommand, {
      ApiId: 'abcde12345',
      StageName: '$default',
    });
    await expect(
      apiStageResource.delete(testContext(), { ...current(), foreign: true }),
    ).rejects.toBeInstanceOf(ForeignResourceError);
  });
});
