import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeError } from './errors';
import { ServerTransport } from './server';

const TOKEN = 'secret-token';
let server: Server;
let origin: string;
const seen: { url?: string; auth?: string; body?: string }[] = [];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    request.on('data', (chunk) => (data += chunk));
    request.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await readBody(request);
    seen.push({ url: request.url, auth: request.headers.authorization, body });
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response
        .writeHead(401, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: 'Unauthorized', code: 'unauthorized' }));
    } else if (request.url === '/api/invoke/echo') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    } else if (request.url === '/api/invoke/nothing') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('null');
    } else if (request.url === '/api/invoke/broken') {
      response.writeHead(502).end('<html>bad gateway</html>');
    } else {
      response
        .writeHead(404, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: `Not implemented yet: ${request.url?.split('/').pop()}`, code: 'not_implemented' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('ServerTransport.invoke', () => {
  it('posts JSON args with the bearer token and resolves with the JSON result', async () => {
    const transport = new ServerTransport(TOKEN, origin);
    await expect(transport.invoke('echo', { taskId: 't1', urls: ['a'] })).resolves.toEqual({ taskId: 't1', urls: ['a'] });
    expect(seen.at(-1)).toEqual({ url: '/api/invoke/echo', auth: `Bearer ${TOKEN}`, body: '{"taskId":"t1","urls":["a"]}' });
  });

  it('resolves a null result', async () => {
    await expect(new ServerTransport(TOKEN, origin).invoke('nothing', {})).resolves.toBeNull();
  });

  it('rejects with a BridgeError carrying the code and text of the response body', async () => {
    const failure = new ServerTransport(TOKEN, origin).invoke('get_session_summary', {});
    await expect(failure).rejects.toBeInstanceOf(BridgeError);
    await expect(failure).rejects.toMatchObject({ code: 'not_implemented', message: 'Not implemented yet: get_session_summary' });
    await expect(new ServerTransport('wrong', origin).invoke('echo', {})).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'Unauthorized',
    });
  });

  it('rejects with the HTTP status when the body is not an error object', async () => {
    await expect(new ServerTransport(TOKEN, origin).invoke('broken', {})).rejects.toMatchObject({
      code: 'internal',
      message: 'HTTP 502',
    });
  });

  it('rejects with a network error string when the server is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(new ServerTransport(TOKEN, `http://127.0.0.1:${port}`).invoke('echo', {})).rejects.toMatchObject({
      code: 'backend_unreachable',
      message: expect.stringMatching(/^Network error/),
    });
  });
});
