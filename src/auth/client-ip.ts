/**
 * The header through which Core hands Better Auth the client address Fastify resolved. Its own
 * module, so the API thread can name it without loading Better Auth, which runs in its worker.
 */
export const CLIENT_IP_HEADER = 'x-core-client-ip';
