/**
 * @nestjs/swagger's decorators, applied when the OpenAPI document is first wanted instead of when the
 * controllers load. Importing @nestjs/swagger (with lodash and js-yaml) was a tenth of a Lambda cold start,
 * for metadata that only GET /docs and /docs-json read. Controllers use these exactly like the originals,
 * beside their routes; each use is recorded, and `loadSwagger` replays the records in their original order
 * on the same classes and methods, so the document is the one the originals would have produced.
 */
import type * as SwaggerPackage from '@nestjs/swagger';

type Swagger = typeof SwaggerPackage;
type Apply = (swagger: Swagger) => void;

let loaded: Swagger | undefined;
let pending: Apply[] = [];

/** A stand-in for the decorator factory `name`, with its exact signature. */
function deferred<K extends keyof Swagger>(name: K): Swagger[K] {
  const factory =
    (...args: unknown[]) =>
    (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
      const apply: Apply = (swagger) => {
        const decorator = (swagger[name] as (...a: unknown[]) => (...d: unknown[]) => unknown)(...args);
        decorator(target, key, descriptor);
      };
      // Classes defined after the package was loaded (a module imported later) are decorated at once.
      if (loaded) apply(loaded);
      else pending.push(apply);
    };
  return factory as unknown as Swagger[K];
}

/** Loads @nestjs/swagger once and applies every decorator recorded so far; later ones apply directly. */
export async function loadSwagger(): Promise<Swagger> {
  if (loaded) return loaded;
  const swagger = await import('@nestjs/swagger');
  if (!loaded) {
    loaded = swagger;
    const recorded = pending;
    pending = [];
    for (const apply of recorded) apply(swagger);
  }
  return loaded;
}

export const ApiBadRequestResponse = deferred('ApiBadRequestResponse');
export const ApiBearerAuth = deferred('ApiBearerAuth');
export const ApiBody = deferred('ApiBody');
export const ApiConflictResponse = deferred('ApiConflictResponse');
export const ApiCreatedResponse = deferred('ApiCreatedResponse');
export const ApiExcludeEndpoint = deferred('ApiExcludeEndpoint');
export const ApiForbiddenResponse = deferred('ApiForbiddenResponse');
export const ApiHeader = deferred('ApiHeader');
export const ApiNoContentResponse = deferred('ApiNoContentResponse');
export const ApiNotFoundResponse = deferred('ApiNotFoundResponse');
export const ApiOkResponse = deferred('ApiOkResponse');
export const ApiOperation = deferred('ApiOperation');
export const ApiPreconditionFailedResponse = deferred('ApiPreconditionFailedResponse');
export const ApiResponse = deferred('ApiResponse');
export const ApiServiceUnavailableResponse = deferred('ApiServiceUnavailableResponse');
export const ApiTags = deferred('ApiTags');
export const ApiUnauthorizedResponse = deferred('ApiUnauthorizedResponse');
