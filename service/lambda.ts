/**
 * The Lambda entry point of the shared image: `entrypoint.sh` hands `dist/service/lambda.handler` to the
 * runtime interface client when the container runs on Lambda.
 */
import { createApp } from './app';
import { createHandler } from './lambda-handler';

export const handler = createHandler(() => createApp());
