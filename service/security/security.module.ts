import { Global, Module } from '@nestjs/common';
import { ApiToken } from './api-token';
import { ApiTokenGuard } from './api-token.guard';

/** The API token check, for the guarded routes and for /stack-status, which answers less without it. */
@Global()
@Module({ providers: [ApiToken, ApiTokenGuard], exports: [ApiToken, ApiTokenGuard] })
export class SecurityModule {}
