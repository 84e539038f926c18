import {
  Body,
  Controller,
  Get,
  Headers,
  HttpException,
  HttpStatus,
  PreconditionFailedException,
  Put,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../swagger/decorators';
import type { Response } from 'express';
import type { DesiredState } from '../../spec/types';
import { desiredStateDocSchema, validationErrorDocSchema } from './desired-state.schema-doc';
import { DesiredStateService } from './desired-state.service';
import { formatEtag, parsePrecondition } from './etag';
import { SpecValidationPipe } from './spec-validation.pipe';
import { ApiTokenGuard } from '../security/api-token.guard';

/**
 * The stack's spec, read and written with the API's bearer token: the spec holds the environment, which
 * is nobody else's to read, and the token hash itself.
 */
@ApiTags('desired-state')
@Controller('desired-state')
@UseGuards(ApiTokenGuard)
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No bearer token, or not the right one' })
@ApiForbiddenResponse({
  description:
    'The request reached the load balancer over plain HTTP (X-Forwarded-Proto: http), refused before the token is looked at: the API takes its token over HTTPS only, and the message says where to send it; or the API is locked: the spec has no api.tokenSha256',
})
export class DesiredStateController {
  constructor(private readonly desiredState: DesiredStateService) {}

  @Get()
  @ApiOperation({
    summary:
      "This stack's desired state, as stored; its ETag is the spec's generation and the record's incarnation",
  })
  @ApiOkResponse({
    schema: desiredStateDocSchema,
    headers: {
      ETag: {
        description:
          'The spec\'s generation and the record\'s incarnation, quoted ("3.9f2c4e1a7b3d"): spec writes change it, the reconciler\'s status writes do not, and a stack deleted and created again never has an ETag it had before. A record created before incarnations has its generation alone ("3")',
        schema: { type: 'string' },
      },
    },
  })
  @ApiNotFoundResponse({ description: 'The stack has no record yet' })
  async get(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    const record = await this.desiredState.get();
    res.setHeader('ETag', formatEtag(record));
    return record.spec;
  }

  @Put()
  @ApiOperation({ summary: "Replace this stack's desired state; the reconciler acts on it at its next pass" })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'The ETag from GET /desired-state (or `*`); required unless If-None-Match: * creates the stack',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: '`*` to create the stack when it has no record',
  })
  @ApiBody({ schema: desiredStateDocSchema })
  @ApiOkResponse({
    schema: desiredStateDocSchema,
    description: 'Stored; the body has every default filled in',
  })
  @ApiResponse({ status: 201, schema: desiredStateDocSchema, description: 'Created (If-None-Match: *)' })
  @ApiBadRequestResponse({
    schema: validationErrorDocSchema,
    description: 'Invalid document, another stack, or an If-Match that is not one ETag',
  })
  @ApiResponse({ status: 415, description: 'The body is not JSON (Content-Type: application/json)' })
  @ApiConflictResponse({
    description:
      "The stack's deletion was requested, or its deletionRequestedAt is no time (edited by hand): it takes no new spec",
  })
  @ApiPreconditionFailedResponse({
    description:
      'The desired state changed since the ETag was read (another spec write, or the stack deleted and created again); or the ETag is a generation alone and the record has an incarnation',
    headers: {
      ETag: {
        description: 'The current ETag (also `currentEtag` in the body); absent when the stack has no record',
        schema: { type: 'string' },
      },
    },
  })
  @ApiResponse({ status: 428, description: 'If-Match is missing' })
  async put(
    @Body(SpecValidationPipe) spec: DesiredState,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const precondition = parsePrecondition(ifMatch, ifNoneMatch);
    if (precondition.kind === 'missing') {
      throw new HttpException(
        'If-Match is required: send the ETag from GET /desired-state, so that a concurrent change is not overwritten (or If-None-Match: * to create the stack)',
        HttpStatus.PRECONDITION_REQUIRED,
      );
    }
    if (precondition.kind === 'invalid') throw new HttpException(precondition.reason, HttpStatus.BAD_REQUEST);
    const record = await this.desiredState.put(spec, precondition).catch((error: unknown) => {
      // A 412 carries the ETag that would have held, as the header a client reads it from.
      const current = preconditionFailedEtag(error);
      if (current) res.setHeader('ETag', current);
      throw error;
    });
    res.status(precondition.kind === 'absent' ? HttpStatus.CREATED : HttpStatus.OK);
    res.setHeader('ETag', formatEtag(record));
    return record.spec;
  }
}

/** The current ETag a 412 names (`currentEtag` of its body), if `error` is one. */
function preconditionFailedEtag(error: unknown): string | undefined {
  if (!(error instanceof PreconditionFailedException)) return undefined;
  const body = error.getResponse();
  const current = typeof body === 'object' ? (body as { currentEtag?: unknown }).currentEtag : undefined;
  return typeof current === 'string' ? current : undefined;
}
