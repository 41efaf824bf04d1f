// A route's schema as fastify types it, with the one-line summary GET /api and the OpenAPI document show.
import type { FastifySchema } from 'fastify';

declare module 'fastify' {
  interface FastifySchema {
    /** one line for GET /api and the OpenAPI document */
    summary?: string;
  }
}

export const declared = (s: FastifySchema): FastifySchema => s;
