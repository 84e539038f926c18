import {
  Body,
  ConflictException,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Put,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiExcludeEndpoint,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '../../service/swagger/decorators';
import {
  SpecValidationError,
  StackNotFoundError,
  UnreadableDeletionMarkError,
  VersionConflictError,
} from '../../reconciler/state/types';
import { JsonSchemaPipe } from '../../service/validation/json-schema.pipe';
import { validationFailed } from '../../service/validation/validation-error';
import {
  DASHBOARD_SOURCE,
  SpecChangedError,
  type DashboardSource,
  type DashboardState,
} from './dashboard-source';
import { modeBodySchema, trafficBodySchema, type ModeBody, type TrafficBody } from './dashboard.schemas';
import { DashboardAssets } from './dashboard.assets';

/** As PUT /desired-state documents it: the body must be JSON (service/security/json-body.ts). */
const NOT_JSON = { status: 415, description: 'The body is not JSON (Content-Type: application/json)' };

/** The sandbox's dashboard page and the small JSON API its script polls and calls. */
@ApiTags('sandbox')
@Controller()
export class DashboardController {
  constructor(
    @Inject(DASHBOARD_SOURCE) private readonly source: DashboardSource,
    private readonly assets: DashboardAssets,
  ) {}

  @Get()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return this.assets.get('index.html');
  }

  @Get('dashboard/dashboard.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.assets.get('dashboard.js');
  }

  @Get('dashboard/dashboard.css')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/css; charset=utf-8')
  styles(): string {
    return this.assets.get('dashboard.css');
  }

  @Get('sandbox/state')
  @ApiOperation({
    summary: "The demo stack's phase, traffic, tasks, cost and recent minutes (local sandbox)",
  })
  @ApiOkResponse({ description: 'The dashboard state' })
  state(): Promise<DashboardState> {
    return this.source.state();
  }

  @Put('sandbox/traffic')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the requests per second the simulated clients send (local sandbox)' })
  @ApiBody({ schema: trafficBodySchema as object })
  @ApiOkResponse({ description: 'The traffic is set; the dashboard state, as GET /sandbox/state' })
  @ApiBadRequestResponse({ description: 'The body is refused: each error names the field and the rule' })
  @ApiResponse(NOT_JSON)
  async setTraffic(@Body(new JsonSchemaPipe<TrafficBody>(trafficBodySchema)) body: TrafficBody) {
    await this.source.setTraffic(body.rps);
    return this.source.state();
  }

  @Put('sandbox/mode')
  @HttpCode(200)
  @ApiOperation({ summary: "Set the demo stack's mode through the state store (local sandbox)" })
  @ApiBody({ schema: modeBodySchema as object })
  @ApiOkResponse({ description: 'The mode is written; the dashboard state, as GET /sandbox/state' })
  @ApiBadRequestResponse({
    description:
      'The body is refused, or the spec with the new mode is: each error names the field and the rule',
  })
  @ApiNotFoundResponse({ description: 'The demo stack has no record (deleted)' })
  @ApiResponse(NOT_JSON)
  @ApiConflictResponse({
    description:
      'The spec changed since `generation` was read, or the stack was deleted and created again (another `incarnation`)',
  })
  async setMode(@Body(new JsonSchemaPipe<ModeBody>(modeBodySchema)) body: ModeBody) {
    try {
      const { generation, incarnation } = body;
      await this.source.setMode(
        body.mode,
        incarnation === undefined ? { generation } : { generation, incarnation },
      );
    } catch (error) {
      if (
        error instanceof SpecChangedError ||
        error instanceof VersionConflictError ||
        error instanceof UnreadableDeletionMarkError
      )
        throw new ConflictException(error.message);
      if (error instanceof StackNotFoundError) throw new NotFoundException(error.message);
      if (error instanceof SpecValidationError) throw validationFailed(error.errors, error.message);
      throw error;
    }
    return this.source.state();
  }
}
