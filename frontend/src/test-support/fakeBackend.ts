/**
 * A real HTTP backend on 127.0.0.1 speaking the server-mode protocol, with scripted answers per command.
 * Store tests go through the real ServerTransport, so the wire shapes (URL, token, JSON, error bodies) are exercised.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerTransport } from '../bridge/server';
import type { Invoke } from '../lib/invoke';
import type { ErrorCode } from '../types/generated/contract';

/** A result, or a failure as server mode answers it (`code` defaults to `internal`). */
export type Answer = { result: unknown } | { error: string; code?: ErrorCode; status?: number };
/** An answer now, or later (a promise: the test decides when the command completes). */
export type Handler = (args: Record<string, unknown>) => Answer | Promise<Answer>;

export interface FakeBackend {
  invoke: Invoke;
  calls: { command: string; args: Record<string, unknown> }[];
  on(command: string, handler: Handler | Answer): void;
  close(): Promise<void>;
}

const TOKEN = 'test-token';

export async function startFakeBackend(): Promise<FakeBackend> {
  const handlers = new Map<string, Handler>();
  const calls: FakeBackend['calls'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', async () => {
      const command = decodeURIComponent((request.url ?? '').replace('/api/invoke/', ''));
      const args = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      calls.push({ command, args });
      const handler = handlers.get(command);
      const answer: Answer = handler
        ? await handler(args)
        : { error: `Not implemented yet: ${command}`, code: 'not_implemented', status: 501 };
      if ('result' in answer) {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.result ?? null));
      } else {
        response
          .writeHead(answer.status ?? 400, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ error: answer.error, code: answer.code ?? 'internal' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const transport = new ServerTransport(TOKEN, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    invoke: (<T,>(command: string, args?: object) => transport.invoke(command, { ...(args ?? {}) }) as Promise<T>) as Invoke,
    calls,
    on(command, handler) {
      handlers.set(command, typeof handler === 'function' ? handler : () => handler);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
